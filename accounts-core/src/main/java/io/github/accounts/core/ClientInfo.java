package io.github.accounts.core;

/**
 * What the host knows of the device signing in, kept on the session so its owner can recognise it.
 * Both parts may be null; over-long values are cut to what the table holds.
 */
public record ClientInfo(String userAgent, String ip) {
    /** Information for a caller that has none, such as a test or a batch job. */
    public static ClientInfo unknown() {
        return new ClientInfo(null, null);
    }
}
