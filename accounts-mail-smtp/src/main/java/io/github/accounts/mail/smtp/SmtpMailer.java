package io.github.accounts.mail.smtp;

import io.github.accounts.core.mail.MailMessage;
import io.github.accounts.core.mail.Mailer;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends accounts' mail over SMTP with Jakarta Mail (Eclipse Angus). {@link #send} only queues the message and
 * returns; one background thread delivers, retrying transient failures (4xx replies, connection failures and
 * timeouts) with a doubling delay, never permanent ones (5xx, a refused login, an untrusted certificate). At most
 * {@link SmtpSettings#queueCapacity()} messages wait at once. No message is lost silently: a refusal because the
 * queue is full, a failure after the last attempt, and messages still waiting at {@link #close} are each logged at
 * ERROR with their Message-ID (never the body, which may hold a token) and reported to the sender's
 * {@link Mailer.Failure} (accounts records a {@code mail.failed} event of the account). Thread-safe.
 */
public final class SmtpMailer implements Mailer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpMailer.class);
    private static final Duration LONGEST_DELAY = Duration.ofMinutes(5);
    /** How long {@link #close} lets a message being sent finish. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final SmtpSettings settings;
    private final Session session;
    private final Semaphore room;
    private final Map<String, Failure> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "accounts-smtp");
        t.setDaemon(true);
        return t;
    });

    private SmtpMailer(SmtpSettings settings) {
        this.settings = settings;
        this.session = Session.getInstance(SmtpSessions.properties(settings));
        this.room = new Semaphore(settings.queueCapacity());
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** A mailer sending as {@code settings} say; close it to stop its thread. */
    public static SmtpMailer create(SmtpSettings settings) {
        return new SmtpMailer(Objects.requireNonNull(settings, "null settings"));
    }

    /**
     * Queues one plain-text message and returns at once; when the queue is full the message is refused and
     * logged, not thrown, since the caller could do no better.
     *
     * @throws MessagingException when {@code to} is not an email address
     */
    @Override
    public void send(String to, String subject, String body) throws MessagingException {
        send(to, subject, body, (id, reason) -> {
        });
    }

    /** As {@link #send(String, String, String)}, and tells {@code failure} if the message is finally not sent. */
    @Override
    public void send(String to, String subject, String body, Failure failure) throws MessagingException {
        send(to, MailMessage.text(subject, body), failure);
    }

    /**
     * As {@link #send(String, String, String, Failure)}; a message with an HTML part goes out as
     * {@code multipart/alternative}, the plain text first.
     */
    @Override
    public void send(String to, MailMessage mail, Failure failure) throws MessagingException {
        Objects.requireNonNull(failure, "null failure");
        String subject = mail.subject();
        MimeMessage message = message(to, mail);
        String id = message.getMessageID();
        if (!room.tryAcquire()) {
            log.error("Mail {} (\"{}\") not sent: {} messages already wait for the SMTP server", id, subject,
                    settings.queueCapacity());
            failure.failed(id, "the SMTP queue is full");
            return;
        }
        pending.put(id, failure);
        try {
            thread.execute(() -> attempt(message, id, 1));
        } catch (RejectedExecutionException closed) {
            log.error("Mail {} (\"{}\") not sent: the mailer is closed", id, subject);
            gaveUp(id, "the mailer is closed");
        }
    }

    /** How many messages are queued, being sent or waiting for a retry. */
    public int pending() {
        return pending.size();
    }

    /**
     * Stops the thread, letting a message being sent finish for a moment; each message not sent is logged at
     * ERROR with its Message-ID.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
        for (String id : pending.keySet()) {
            log.error("Mail {} not sent: the mailer was closed before it went out", id);
            gaveUp(id, "the mailer was closed before it went out");
        }
    }

    private void attempt(MimeMessage message, String id, int attempt) {
        MessagingException failure = deliver(message);
        if (failure == null) {
            finished(id);
            log.info("Mail {} sent (attempt {})", id, attempt);
            return;
        }
        boolean retry = transientFailure(failure) && attempt < settings.attempts() && !thread.isShutdown();
        if (!retry) {
            log.error("Mail {} not sent after {} attempt(s): {}", id, attempt, describe(failure));
            gaveUp(id, "not sent after " + attempt + " attempt(s): " + describe(failure));
            return;
        }
        Duration delay = delayAfter(attempt);
        log.warn("Mail {} not sent yet (attempt {} of {}: {}); trying again in {} ms", id, attempt,
                settings.attempts(), describe(failure), delay.toMillis());
        try {
            thread.schedule(() -> attempt(message, id, attempt + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            log.error("Mail {} not sent: the mailer was closed before its retry", id);
            gaveUp(id, "the mailer was closed before its retry");
        }
    }

    /** Connects, sends and disconnects; returns the failure, if any, with the server's reply code attached. */
    private MessagingException deliver(MimeMessage message) {
        SMTPTransport transport = null;
        try {
            transport = (SMTPTransport) session.getTransport("smtp");
            transport.connect(settings.host(), settings.port(),
                    settings.username().isEmpty() ? null : settings.username(),
                    settings.password().isEmpty() ? null : settings.password());
            transport.sendMessage(message, message.getAllRecipients());
            return null;
        } catch (MessagingException e) {
            return transport == null ? e : new ReplyCoded(e, transport.getLastReturnCode());
        } finally {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException ignored) {
                    // the message is sent or its failure recorded; a failing QUIT changes neither
                }
            }
        }
    }

    /**
     * Transient: a 4xx reply, a lost or refused connection, a timeout. Permanent: a 5xx reply (a refused login
     * too), a TLS failure (an untrusted certificate stays untrusted), anything else.
     */
    static boolean transientFailure(MessagingException failure) {
        int code = failure instanceof ReplyCoded coded ? coded.code : -1;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return false;
            }
            if (t instanceof SMTPSendFailedException sent) {
                code = sent.getReturnCode();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        // -1: the server closed the connection without a reply
        return code == -1 || (code >= 400 && code < 500);
    }

    Duration delayAfter(int attempt) {
        Duration delay = settings.firstRetryDelay().multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay;
    }

    private void finished(String id) {
        if (pending.remove(id) != null) {
            room.release();
        }
    }

    /** Frees the message's place and tells its sender, once, that it is not sent. */
    private void gaveUp(String id, String reason) {
        Failure failure = pending.remove(id);
        if (failure == null) {
            return;
        }
        room.release();
        try {
            failure.failed(id, reason);
        } catch (RuntimeException e) {
            log.warn("The failure report of mail {} failed: {}", id, e.toString());
        }
    }

    private MimeMessage message(String to, MailMessage mail) throws MessagingException {
        String domain = settings.from().getAddress().substring(settings.from().getAddress().indexOf('@') + 1);
        MimeMessage message = new IdentifiedMessage(session, "<" + UUID.randomUUID() + "@" + domain + ">");
        message.setFrom(settings.from());
        if (settings.replyTo().isPresent()) {
            message.setReplyTo(new Address[] {settings.replyTo().get()});
        }
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        if (mail.html() == null) {
            message.setText(mail.text(), StandardCharsets.UTF_8.name());
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
            message.setContent(new MimeMultipart("alternative", text, html));
        }
        message.saveChanges();
        return message;
    }

    private static String describe(MessagingException failure) {
        Throwable root = failure instanceof ReplyCoded ? failure.getCause() : failure;
        StringBuilder text = new StringBuilder(String.valueOf(root));
        for (Throwable t = root.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            text.append("; caused by ").append(t);
        }
        return text.toString().replaceAll("\\s+", " ");
    }

    /** A message whose Message-ID is chosen before it is queued, so every log line about it can name it. */
    private static final class IdentifiedMessage extends MimeMessage {
        private final String id;

        IdentifiedMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", id);
        }
    }

    /** A failure with the last reply code the server gave on that connection (-1 for none). */
    private static final class ReplyCoded extends MessagingException {
        private final int code;

        ReplyCoded(MessagingException failure, int code) {
            super(failure.getMessage(), failure);
            this.code = code;
        }
    }
}
