package io.github.accounts.core.federation;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;

import java.nio.charset.StandardCharsets;


/**
 * The rule for {@code return_to}, where the browser goes after a provider's round trip: a path on this server's own
 * origin, never another site. After percent-decoding (repeatedly, so double-encoded variants are judged as what they
 * become) it must start with one {@code /}, not {@code //}, and hold no {@code \}, no control character and no
 * scheme. Stateless.
 */
public final class ReturnTo {
    /** Where the browser goes when no {@code return_to} was given, or the flow is unknown. */
    public static final String DEFAULT = "/";
    /** The longest {@code return_to} accepted. */
    static final int MAX_LENGTH = 1024;

    private ReturnTo() {
    }

    /** {@code value} when it follows the rule, {@link #DEFAULT} for null; {@code invalid_return_to} otherwise. */
    public static String check(String value) {
        if (value == null) {
            return DEFAULT;
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid();
        }
        String current = value;
        for (int round = 0; round < 4; round++) {
            if (!plainPath(current)) {
                throw invalid();
            }
            String decoded = decode(current);
            if (decoded.equals(current)) {
                return value;
            }
            current = decoded;
        }
        throw invalid(); // encoded four times over: no page of ours looks like that
    }

    /** A path of this origin: one leading '/', no '\\', no control character (so no scheme can lead it). */
    private static boolean plainPath(String path) {
        if (!path.startsWith("/") || path.startsWith("//") || path.indexOf('\\') >= 0) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                return false;
            }
        }
        return true;
    }

    /** Percent-decodes UTF-8 (a '+' stays a '+'); a malformed escape is refused. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length || !isHex((char) in[i + 1]) || !isHex((char) in[i + 2])) {
                    throw invalid();
                }
                out[n++] = (byte) (Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out[n++] = in[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static AccountsException invalid() {
        return AccountsException.of(ErrorCode.INVALID_RETURN_TO,
                "return_to must be a path on this site, starting with a single '/'.");
    }
}
