package io.github.accounts.core.mail;

import java.util.Objects;

/**
 * One mail as it goes to the {@link Mailer}: its subject, its plain text, and an HTML part when its template has one
 * (null otherwise). Immutable.
 */
public record MailMessage(String subject, String text, String html) {
    public MailMessage {
        Objects.requireNonNull(subject, "null subject");
        Objects.requireNonNull(text, "null text");
    }

    /** A plain-text message. */
    public static MailMessage text(String subject, String text) {
        return new MailMessage(subject, text, null);
    }
}
