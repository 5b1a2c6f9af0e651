package io.github.accounts.core;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the host knows of the device signing in, kept on the session so its owner can recognise it.
 * Both parts may be null. The user agent is client text, stored on sessions and events and pushed to sockets, so it
 * is cut here, once, to {@value #MAX_USER_AGENT} characters (a real browser's is about 150), and the address to
 * {@value #MAX_IP}. {@code languages} are the ones the request prefers, best first (its {@code Accept-Language}), at
 * most {@value #MAX_LANGUAGES}; mails it causes are written in the one of them the host has templates in. Immutable.
 */
public record ClientInfo(String userAgent, String ip, List<Locale> languages) {
    /** The longest user agent kept; longer ones are cut to this. */
    public static final int MAX_USER_AGENT = 256;
    /** The longest address kept (an IPv6 literal with a zone fits). */
    public static final int MAX_IP = 64;
    /** The most languages kept; further ones are dropped. */
    public static final int MAX_LANGUAGES = 8;

    public ClientInfo {
        userAgent = cut(userAgent, MAX_USER_AGENT);
        ip = cut(ip, MAX_IP);
        languages = languages == null ? List.of()
                : List.copyOf(languages.subList(0, Math.min(languages.size(), MAX_LANGUAGES)));
    }

    /** A client whose languages are not known. */
    public ClientInfo(String userAgent, String ip) {
        this(userAgent, ip, List.of());
    }

    /** Information for a caller that has none, such as a test or a batch job. */
    public static ClientInfo unknown() {
        return new ClientInfo(null, null);
    }

    /** {@code client} itself, for flows that take one; a null is the caller's mistake, said so in full. */
    public static ClientInfo required(ClientInfo client) {
        return Objects.requireNonNull(client, "null client; pass ClientInfo.unknown() when there is none");
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
