package io.github.accounts.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Opaque tokens: 32 bytes (256 bits) from a CSPRNG, base64url without padding. The store only ever sees
 * {@link #digest} of a token, so a leaked table holds nothing that authenticates. Lookups go by digest through
 * a unique index, so no secret is compared byte by byte in Java. Thread-safe.
 */
public final class Tokens {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int TOKEN_BYTES = 32;
    /** The longest token we accept from a client; anything longer cannot be ours. */
    private static final int MAX_TOKEN_CHARS = 64;

    private final SecureRandom random = new SecureRandom();

    /** A new random token. */
    public String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** The SHA-256 digest of a token, base64url; what the tables store and index. */
    public static String digest(String token) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return BASE64URL.encodeToString(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** Whether a client-supplied string could be one of our tokens at all; the rest is never looked up. */
    public static boolean plausible(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_CHARS;
    }
}
