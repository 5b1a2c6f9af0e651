package io.github.accounts.demo;

import io.github.accounts.core.mail.Mailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's stand-in for a mail service: each message goes to the log. In development the body is logged too,
 * token included, so a developer can finish a password reset or verification by copying it; elsewhere only the
 * recipient and subject are, since a live token in a log is a leak. Thread-safe.
 */
final class LogMailer implements Mailer {
    private static final Logger log = LoggerFactory.getLogger(LogMailer.class);

    private final boolean includeBody;

    LogMailer(boolean includeBody) {
        this.includeBody = includeBody;
    }

    @Override
    public void send(String to, String subject, String body) {
        if (includeBody) {
            log.info("Mail to {}, subject \"{}\":\n{}", to, subject, body.strip());
        } else {
            log.warn("Mail to {}, subject \"{}\" not sent: demo-app has no mail service (body withheld: it holds a token)",
                    to, subject);
        }
    }
}
