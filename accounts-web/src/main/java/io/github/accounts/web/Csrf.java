package io.github.accounts.web;

import spark.Request;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CSRF defences of cookie transport. A session's token is an HMAC-SHA256 of its id under the host's key
 * (OWASP's "signed double-submit cookie"): nothing to store, the same on every instance that shares the key, and
 * unguessable without it. A cookie-authenticated unsafe request must echo it in {@code X-CSRF-Token}, and its
 * {@code Origin}, when sent, must be the server's own. Tokens made under a previous key (before the host secret's
 * rotation) are still accepted; new ones are made under the current key. Thread-safe.
 */
final class Csrf {
    static final String HEADER = "X-CSRF-Token";
    static final int MIN_KEY_BYTES = 32;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final SecretKeySpec key;
    private final List<SecretKeySpec> previous;
    private final String publicOrigin;

    /** {@code previous}: keys whose tokens are still accepted; {@code publicUrl} null: judged per request. */
    Csrf(byte[] key, List<byte[]> previous, URI publicUrl) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.previous = previous.stream().map(k -> new SecretKeySpec(k.clone(), "HmacSHA256")).toList();
        this.publicOrigin = publicUrl == null ? null : origin(publicUrl.getScheme(), publicUrl.getHost(),
                publicUrl.getPort());
    }

    /** The token of session {@code sessionId}. */
    String token(long sessionId) {
        return token(key, sessionId);
    }

    private static String token(SecretKeySpec key, long sessionId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(("accounts csrf " + sessionId).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /**
     * Whether the request's method may change something, so a cookie alone must not authorise it. Spark routes by
     * {@code X-HTTP-Method-Override} when it is sent, so an unsafe override makes even a GET unsafe.
     */
    static boolean unsafe(Request req) {
        String override = req.headers("X-HTTP-Method-Override");
        return !SAFE_METHODS.contains(req.requestMethod().toUpperCase(Locale.ROOT))
                || (override != null && !SAFE_METHODS.contains(override.toUpperCase(Locale.ROOT)));
    }

    /** Refuses an unsafe request without session {@code sessionId}'s token or from a foreign origin. */
    void check(Request req, long sessionId) {
        checkOrigin(req);
        String presented = req.headers(HEADER);
        if (presented == null || !(matches(presented, key, sessionId)
                || previous.stream().anyMatch(k -> matches(presented, k, sessionId)))) {
            throw failed("This request needs the session's X-CSRF-Token header (GET /sessions/csrf gives it).");
        }
    }

    private static boolean matches(String presented, SecretKeySpec key, long sessionId) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token(key, sessionId).getBytes(StandardCharsets.UTF_8));
    }

    /** Refuses a request whose {@code Origin} is sent and is not the server's own. */
    void checkOrigin(Request req) {
        String origin = req.headers("Origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(req))) {
            throw failed("Requests from another origin cannot use the session cookie.");
        }
    }

    /** The host's public URL's origin when it gave one, else the scheme and {@code Host} this request came to. */
    private String ownOrigin(Request req) {
        if (publicOrigin != null) {
            return publicOrigin;
        }
        String host = req.headers("Host");
        return host == null ? null : req.scheme().toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT);
    }

    /** RFC 6454 serialisation: lower case, the default port left out. */
    static String origin(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        boolean defaultPort = port == -1 || (s.equals("https") && port == 443) || (s.equals("http") && port == 80);
        return s + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static HttpProblem failed(String detail) {
        return new HttpProblem(403, "csrf_failed", detail);
    }
}
