package io.github.accounts.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The host's one secret (at least 32 random bytes, the same on every instance and across restarts) and the
 * previous ones still accepted after a rotation. Accounts derives one key per purpose from it with HKDF-SHA256
 * (RFC 5869), so no two purposes share a key and a leaked one reveals neither the others nor the secret: throttle
 * keys, the key TOTP secrets are sealed under, the key webhook secrets are sealed under, the CSRF key of cookie
 * sessions. Keys derived from a previous secret still verify and open what they made (CSRF tokens, sealed TOTP
 * secrets); everything new uses the current one. Give it to {@link AccountsBuilder#secret}. Immutable and
 * thread-safe; {@link #toString()} shows no key.
 *
 * <pre>{@code
 * HostSecret secret = HostSecret.decode(System.getenv("SECRET_KEY"));   // e.g. made with: openssl rand -hex 32
 * }</pre>
 */
public final class HostSecret {
    /** The fewest random bytes a secret may have. */
    public static final int MIN_BYTES = 32;
    /** The purpose of the throttle keys' HMAC secret. */
    public static final String THROTTLE = "accounts-core throttle keys";
    /** The purpose of the key TOTP secrets are sealed under and recovery codes digested with. */
    public static final String TOTP = "accounts-core totp keys";
    /** The purpose of the key webhook signing secrets are sealed under. */
    public static final String WEBHOOKS = "accounts-core webhook secrets";
    /** The purpose of accounts-web's CSRF key. */
    public static final String CSRF = "accounts-web csrf";

    private static final Logger log = LoggerFactory.getLogger(HostSecret.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64,}");
    private static final String FORMAT = "The host secret must be at least " + MIN_BYTES + " random bytes, written as"
            + " 64 or more hex characters or as base64 (standard or URL-safe); e.g. openssl rand -hex 32";

    private final byte[] current;
    private final List<byte[]> previous;
    private final boolean development;

    private HostSecret(byte[] current, List<byte[]> previous, boolean development) {
        this.current = current;
        this.previous = previous;
        this.development = development;
    }

    /**
     * The secret {@code current}, with {@code previous} ones (newest first) still accepted after a rotation.
     *
     * @throws IllegalArgumentException when one has fewer than {@link #MIN_BYTES} bytes
     */
    public static HostSecret of(byte[] current, List<byte[]> previous) {
        Objects.requireNonNull(current, "null current");
        Objects.requireNonNull(previous, "null previous");
        return new HostSecret(checked(current.clone()), previous.stream().map(p -> checked(p.clone())).toList(),
                false);
    }

    /**
     * The secret written as 64 or more hex characters or as base64 (standard or URL-safe), with {@code previous}
     * ones written alike; the message of a failure never repeats the value.
     *
     * @throws IllegalArgumentException when a value is missing, neither hex nor base64, or under 32 bytes
     */
    public static HostSecret decode(String current, String... previous) {
        if (current == null || current.isBlank()) {
            throw new IllegalArgumentException("No host secret given: " + FORMAT);
        }
        return new HostSecret(decodeBytes(current),
                java.util.Arrays.stream(previous).map(HostSecret::decodeBytes).toList(), false);
    }

    /**
     * A random secret of this process only, for development and tests: CSRF tokens, throttles and sealed TOTP
     * secrets then break at every restart and differ between instances. Logs a WARN each time it is called.
     */
    public static HostSecret development() {
        log.warn("Using throw-away development keys (HostSecret.development()): CSRF tokens, throttles and TOTP "
                + "secrets do not survive a restart; give a real secret (HostSecret.decode) in production");
        byte[] key = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(key);
        return new HostSecret(key, List.of(), true);
    }

    /** The 32-byte key for {@code purpose} (a constant of this class, or the host's own label) from the current secret. */
    public byte[] key(String purpose) {
        return derive(current, purpose);
    }

    /** The 32-byte keys for {@code purpose} from the previous secrets, newest first; empty without a rotation. */
    public List<byte[]> previousKeys(String purpose) {
        return previous.stream().map(p -> derive(p, purpose)).toList();
    }

    /** Whether this is a throw-away secret of {@link #development()}. */
    public boolean isDevelopment() {
        return development;
    }

    @Override
    public String toString() {
        return development ? "HostSecret[development]" : "HostSecret[given, " + previous.size() + " previous]";
    }

    /** HKDF-SHA256 without salt (a hash-length zero salt), one 32-byte block of output for {@code purpose}. */
    private static byte[] derive(byte[] secret, String purpose) {
        Objects.requireNonNull(purpose, "null purpose");
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
            byte[] prk = extract.doFinal(secret);
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(purpose.getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static byte[] checked(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException(FORMAT + " (one has " + bytes.length + " bytes)");
        }
        return bytes;
    }

    private static byte[] decodeBytes(String value) {
        Objects.requireNonNull(value, "null secret");
        String v = value.strip();
        byte[] decoded;
        try {
            if (HEX.matcher(v).matches()) {
                decoded = HexFormat.of().parseHex(v);
            } else if (v.indexOf('-') >= 0 || v.indexOf('_') >= 0) {
                decoded = Base64.getUrlDecoder().decode(v);
            } else {
                decoded = Base64.getDecoder().decode(v);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FORMAT + " (it is neither)"); // never repeating the value
        }
        if (decoded.length < MIN_BYTES) {
            throw new IllegalArgumentException(FORMAT + " (it decodes to " + decoded.length + " bytes)");
        }
        return decoded;
    }
}
