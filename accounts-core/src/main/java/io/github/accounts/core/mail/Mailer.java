package io.github.accounts.core.mail;

import io.github.accounts.core.Accounts;

/**
 * Sends the emails of the reset, verification and email-change flows and the security notices; the host implements
 * it with its mail service. Accounts calls it off the request thread, so a slow server never delays an HTTP answer.
 * A message that is not delivered (an exception thrown, or a failure reported later through {@link Failure}) is
 * logged and recorded as a {@code mail.failed} event of the account. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Mailer {
    /** Sends one plain-text message to one address; an exception says it was not sent. */
    void send(String to, String subject, String body) throws Exception;

    /**
     * Sends as {@link #send(String, String, String)} does; a mailer that delivers later (a queue, retries) overrides
     * it to tell {@code failure}, once, about a message it finally gives up on. The default sends at once and lets a
     * thrown exception say it failed.
     */
    default void send(String to, String subject, String body, Failure failure) throws Exception {
        send(to, subject, body);
    }

    /**
     * Sends {@code message}; accounts calls this one. A message with an HTML part ({@link MailMessage#html()} not
     * null, only when the host's {@link MailTemplate} has one) should go out as both parts (multipart/alternative);
     * the default sends its text alone through {@link #send(String, String, String, Failure)}.
     */
    default void send(String to, MailMessage message, Failure failure) throws Exception {
        send(to, message.subject(), message.text(), failure);
    }

    /** Told of a message a {@link Mailer} accepted but finally could not deliver. */
    @FunctionalInterface
    interface Failure {
        /**
         * {@code messageId} is the message's Message-ID (null if it never had one); {@code reason} is for the log
         * only and must hold no message body.
         */
        void failed(String messageId, String reason);
    }
}
