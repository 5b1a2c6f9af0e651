package io.github.accounts.core;

/**
 * Sends the emails of the reset and verification flows; the host implements it with its mail service.
 * Accounts calls it off the request thread, so a slow server never delays an HTTP answer; a thrown exception
 * is logged and otherwise ignored. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Mailer {
    /** Sends one plain-text message to one address. */
    void send(String to, String subject, String body) throws Exception;
}
