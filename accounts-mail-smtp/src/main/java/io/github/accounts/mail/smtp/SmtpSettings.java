package io.github.accounts.mail.smtp;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how {@link SmtpMailer} sends: server, transport security, login, sender, timeouts, retries and queue
 * bound. Built by the host (the library reads no environment); start from {@link #of} and adjust with the
 * {@code with} methods. {@link #toString()} never shows the password. Immutable.
 *
 * @param host              the SMTP server's name or address
 * @param port              its port (587 for STARTTLS submission, 465 for implicit TLS)
 * @param security          how the connection is protected; {@code NONE} only to a loopback host (refused
 *                          for any other: mail carries sign-in and reset links)
 * @param username          the login; empty for a server that needs none
 * @param password          its password; empty with an empty username
 * @param from              the sender of every message
 * @param replyTo           where replies go, if not to {@code from}
 * @param timeout           the connect, read and write timeout of each connection
 * @param attempts          how often one message is tried when failures are transient (4xx, connection failures)
 * @param firstRetryDelay   the wait before the second attempt; it doubles for each further one, up to 5 minutes
 * @param queueCapacity     how many messages may wait (or be tried) at once; more are refused and logged
 * @param pinnedCertificate when present, the one certificate the server may present, trusted whatever its names
 *                          (for a private or self-signed server); when absent, the JDK's trust store and the
 *                          server's host name are checked
 */
public record SmtpSettings(String host, int port, Security security, String username, String password,
                           InternetAddress from, Optional<InternetAddress> replyTo, Duration timeout, int attempts,
                           Duration firstRetryDelay, int queueCapacity, Optional<X509Certificate> pinnedCertificate) {

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** Plain SMTP upgraded with STARTTLS, which is required: a server that does not offer it gets no mail. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS,
        /** No encryption: only for a server on the same host (loopback) or in tests; refused for any other. */
        NONE
    }

    public SmtpSettings {
        Objects.requireNonNull(host, "null host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("The SMTP host is blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("The SMTP port must be from 1 to 65535, not " + port);
        }
        Objects.requireNonNull(security, "null security");
        Objects.requireNonNull(username, "null username");
        Objects.requireNonNull(password, "null password");
        if (username.isEmpty() != password.isEmpty()) {
            throw new IllegalArgumentException("An SMTP username needs a password, and a password a username");
        }
        if (security == Security.NONE && !loopback(host)) {
            throw new IllegalArgumentException("SmtpSettings.security NONE would send mail (its sign-in and reset "
                    + "links" + (username.isEmpty() ? "" : ", and the SMTP password") + ") in clear text to " + host
                    + "; use STARTTLS or TLS (NONE is for a server on this host only)");
        }
        Objects.requireNonNull(from, "null from");
        Objects.requireNonNull(replyTo, "null replyTo");
        Objects.requireNonNull(timeout, "null timeout");
        if (timeout.toMillis() < 100 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("The SMTP timeout must be from 100 ms to 5 minutes, not " + timeout);
        }
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException("SMTP attempts must be from 1 to 100, not " + attempts);
        }
        Objects.requireNonNull(firstRetryDelay, "null firstRetryDelay");
        if (firstRetryDelay.isNegative()) {
            throw new IllegalArgumentException("The first retry delay is negative: " + firstRetryDelay);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("The SMTP queue capacity must be at least 1, not " + queueCapacity);
        }
        Objects.requireNonNull(pinnedCertificate, "null pinnedCertificate");
    }

    /**
     * A server and a sender, with the defaults: no login, no reply-to, 5 s timeouts, 5 attempts starting 2 s
     * apart, up to 1,000 messages waiting, the JDK's trust store.
     *
     * @throws IllegalArgumentException when {@code from} is not one email address
     */
    public static SmtpSettings of(String host, int port, Security security, String from) {
        return new SmtpSettings(host, port, security, "", "", address(from, "sender"), Optional.empty(),
                Duration.ofSeconds(5), 5, Duration.ofSeconds(2), 1_000, Optional.empty());
    }

    /** These settings, logging in with {@code username} and {@code password}. */
    public SmtpSettings withLogin(String username, String password) {
        return new SmtpSettings(host, port, security, username, password, from, replyTo, timeout, attempts,
                firstRetryDelay, queueCapacity, pinnedCertificate);
    }

    /** These settings, with replies going to {@code address}. */
    public SmtpSettings withReplyTo(String address) {
        return new SmtpSettings(host, port, security, username, password, from,
                Optional.of(address(address, "reply-to address")), timeout, attempts, firstRetryDelay,
                queueCapacity, pinnedCertificate);
    }

    /** These settings, with {@code value} as the connect, read and write timeout. */
    public SmtpSettings withTimeout(Duration value) {
        return new SmtpSettings(host, port, security, username, password, from, replyTo, value, attempts,
                firstRetryDelay, queueCapacity, pinnedCertificate);
    }

    /** These settings, trying each message up to {@code count} times, {@code firstDelay} apart and then doubling. */
    public SmtpSettings withRetries(int count, Duration firstDelay) {
        return new SmtpSettings(host, port, security, username, password, from, replyTo, timeout, count,
                firstDelay, queueCapacity, pinnedCertificate);
    }

    /** These settings, with at most {@code capacity} messages waiting. */
    public SmtpSettings withQueueCapacity(int capacity) {
        return new SmtpSettings(host, port, security, username, password, from, replyTo, timeout, attempts,
                firstRetryDelay, capacity, pinnedCertificate);
    }

    /** These settings, trusting exactly {@code certificate} (and nothing else) as the server's. */
    public SmtpSettings withPinnedCertificate(X509Certificate certificate) {
        return new SmtpSettings(host, port, security, username, password, from, replyTo, timeout, attempts,
                firstRetryDelay, queueCapacity, Optional.of(certificate));
    }

    @Override
    public String toString() {
        return "SmtpSettings[" + security + " " + (username.isEmpty() ? "" : username + ":***@") + host + ":" + port
                + ", from " + from + replyTo.map(r -> ", reply-to " + r).orElse("") + ", timeout " + timeout
                + ", " + attempts + " attempts from " + firstRetryDelay + ", queue " + queueCapacity
                + (pinnedCertificate.isPresent() ? ", pinned certificate" : "") + "]";
    }

    /** Loopback by name or literal address, without asking DNS. */
    private static boolean loopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127\\.\\d+\\.\\d+\\.\\d+");
    }

    private static InternetAddress address(String value, String what) {
        Objects.requireNonNull(value, "null " + what);
        try {
            InternetAddress address = new InternetAddress(value, true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new IllegalArgumentException("The " + what + " '" + value + "' is not an email address", e);
        }
    }
}
