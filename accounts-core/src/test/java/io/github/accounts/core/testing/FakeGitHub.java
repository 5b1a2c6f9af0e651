package io.github.accounts.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.accounts.core.federation.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A local stand-in for GitHub's OAuth endpoints and API, on a real HTTP server: {@code /login/oauth/authorize}
 * answers at once with a code (as GitHub does for a user who approved the app before), {@code /login/oauth/access_token}
 * checks the client, the code, the redirect URI and the PKCE verifier (S256), and {@code /api/user} and
 * {@code /api/user/emails} answer for the user of {@link #nextUser}. Thread-safe.
 */
public final class FakeGitHub implements AutoCloseable {
    public static final String CLIENT_ID = "github-client";
    public static final String CLIENT_SECRET = "github-secret";

    /** A GitHub user and their primary address. */
    public record User(long id, String login, String name, String email, boolean verified) {
    }

    private record Grant(User user, String challenge, String redirectUri) {
    }

    private final HttpServer server;
    private final SecureRandom random = new SecureRandom();
    private final Queue<User> next = new ConcurrentLinkedQueue<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, User> tokens = new ConcurrentHashMap<>();
    private volatile Duration tokenDelay = Duration.ZERO;

    public FakeGitHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/login/oauth/authorize", this::authorize);
        server.createContext("/login/oauth/access_token", this::token);
        server.createContext("/api/user", this::api);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-github");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The endpoints to give {@link Provider#github(Provider.GitHubEndpoints, String, String)}. */
    public Provider.GitHubEndpoints endpoints() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return new Provider.GitHubEndpoints(URI.create(base + "/login/oauth/authorize"),
                URI.create(base + "/login/oauth/access_token"), URI.create(base + "/api"));
    }

    /** The provider {@code github} at this server. */
    public Provider provider() {
        return Provider.github(endpoints(), CLIENT_ID, CLIENT_SECRET);
    }

    /** The user the next authorization signs in as. */
    public void nextUser(User user) {
        next.add(user);
    }

    /** How long the token endpoint waits before it answers (a slow provider). */
    public void delayTokens(Duration value) {
        tokenDelay = value;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
        User user = next.poll();
        if (user == null || !CLIENT_ID.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method"))) {
            answer(exchange, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = random();
        codes.put(code, new Grant(user, q.get("code_challenge"), q.get("redirect_uri")));
        exchange.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        answer(exchange, 302, "text/plain", "");
    }

    private void token(HttpExchange exchange) throws IOException {
        sleep(tokenDelay);
        Map<String, String> form = query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(String.valueOf(form.get("code")));
        boolean ok = grant != null && CLIENT_ID.equals(form.get("client_id"))
                && CLIENT_SECRET.equals(form.get("client_secret")) && grant.redirectUri().equals(form.get("redirect_uri"))
                && form.get("code_verifier") != null && grant.challenge().equals(s256(form.get("code_verifier")));
        if (!ok) {
            answer(exchange, 200, "application/json", "{\"error\":\"bad_verification_code\"}");
            return;
        }
        String token = random();
        tokens.put(token, grant.user());
        answer(exchange, 200, "application/json",
                "{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}");
    }

    private void api(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        User user = auth == null ? null : tokens.get(auth.replaceFirst("^Bearer ", ""));
        if (user == null) {
            answer(exchange, 401, "application/json", "{\"message\":\"Bad credentials\"}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/user")) {
            answer(exchange, 200, "application/json", "{\"id\":" + user.id() + ",\"login\":\"" + user.login()
                    + "\",\"name\":" + (user.name() == null ? "null" : "\"" + user.name() + "\"") + "}");
        } else if (path.equals("/api/user/emails")) {
            answer(exchange, 200, "application/json", "[{\"email\":\"other." + user.id()
                    + "@example.org\",\"primary\":false,\"verified\":true},{\"email\":\"" + user.email()
                    + "\",\"primary\":true,\"verified\":" + user.verified() + "}]");
        } else {
            answer(exchange, 404, "application/json", "{}");
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String random() {
        byte[] b = new byte[20];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
