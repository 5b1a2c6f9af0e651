package io.github.accounts.core.mfa;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1, 6 digits, 30-second steps,
 * one step of clock drift accepted either way. Thread-safe (stateless).
 */
public final class Totp {
    /** The length of a step in seconds. */
    public static final int STEP_SECONDS = 30;
    /** The digits of a code. */
    public static final int DIGITS = 6;
    private static final int DRIFT_STEPS = 1;
    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    /** The step {@code at} falls in: whole steps since the Unix epoch. */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The 6-digit code of {@code step}, zero-padded. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS, "HmacSHA1");
    }

    /** RFC 4226's HOTP of the step counter with dynamic truncation, for any digits and HMAC (the RFC's vectors). */
    static String code(byte[] secret, long step, int digits, String hmac) {
        byte[] h;
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(secret, "RAW"));
            h = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has " + hmac, e);
        }
        int offset = h[h.length - 1] & 0x0f;
        int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                | (h[offset + 3] & 0xff);
        StringBuilder code = new StringBuilder(Integer.toString(binary % POWERS[digits]));
        while (code.length() < digits) {
            code.insert(0, '0');
        }
        return code.toString();
    }

    /** Whether {@code code} is shaped like a TOTP code at all (6 ASCII digits). */
    public static boolean plausible(String code) {
        return code.length() == DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The step within one of {@code now}'s whose code is {@code code} and which comes after {@code lastAccepted}
     * (null: none yet), or empty: a step accepted once never is again. Every candidate is computed and compared in
     * constant time, so the answer's timing says nothing about which one matched.
     */
    public static OptionalLong verify(byte[] secret, String code, Instant now, Long lastAccepted) {
        byte[] presented = code.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        long matched = -1;
        for (long s = current - DRIFT_STEPS; s <= current + DRIFT_STEPS; s++) {
            boolean equal = MessageDigest.isEqual(presented, code(secret, s).getBytes(StandardCharsets.US_ASCII));
            if (equal && matched < 0 && (lastAccepted == null || s > lastAccepted)) {
                matched = s;
            }
        }
        return matched < 0 ? OptionalLong.empty() : OptionalLong.of(matched);
    }
}
