package io.github.accounts.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Hands mail to the host's {@link Mailer} on one background thread, so no HTTP answer waits for a mail server. */
final class MailOutbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);
    private static final int QUEUE = 1_000;

    private final Mailer mailer;
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "accounts-mail");
                t.setDaemon(true);
                return t;
            });

    MailOutbox(Mailer mailer) {
        this.mailer = mailer;
    }

    void send(String to, String subject, String body) {
        try {
            thread.execute(() -> {
                try {
                    mailer.send(to, subject, body);
                } catch (Exception e) {
                    log.warn("Could not send '{}' mail: {}", subject, e.toString());
                }
            });
        } catch (RejectedExecutionException full) {
            log.warn("Mail queue full; dropped '{}' mail", subject);
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
