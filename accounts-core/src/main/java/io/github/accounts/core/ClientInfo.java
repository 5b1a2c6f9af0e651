package io.github.accounts.core;

/**
 * What the host knows of the device signing in, kept on the session so its owner can recognise it.
 * Both parts may be null. The user agent is client text, stored on sessions and events and pushed to sockets, so it
 * is cut here, once, to {@value #MAX_USER_AGENT} characters (a real browser's is about 150), and the address to
 * {@value #MAX_IP}. Immutable.
 */
public record ClientInfo(String userAgent, String ip) {
    /** The longest user agent kept; longer ones are cut to this. */
    public static final int MAX_USER_AGENT = 256;
    /** The longest address kept (an IPv6 literal with a zone fits). */
    public static final int MAX_IP = 64;

    public ClientInfo {
        userAgent = cut(userAgent, MAX_USER_AGENT);
        ip = cut(ip, MAX_IP);
    }

    /** Information for a caller that has none, such as a test or a batch job. */
    public static ClientInfo unknown() {
        return new ClientInfo(null, null);
    }

    /** The first {@code max} chars, one fewer where that would split a surrogate pair. */
    private static String cut(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }
}
