package io.github.accounts.core.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.Metrics;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.github.accounts.core.webhook.DeliveryOutbox.at;

/**
 * Sends due deliveries, on every instance: a claim (one short transaction: {@code for update skip locked}, then a
 * conditional update that takes only rows whose lease ran out) gives a delivery to one instance for
 * {@link #LEASE}; the attempt runs outside any transaction on one of the sender threads; its outcome is recorded only
 * while the claim is still this one's. A 2xx is delivered; anything else is tried again after {@link #BACKOFF}'s next
 * step, and failed after the last. An instance that dies mid-attempt leaves its claim to expire, and the delivery
 * goes again (at least once; the {@code webhook-id} stays the same). Thread-safe; {@link #close} stops it.
 */
final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    /** How long a claim keeps a delivery from other instances: well past one attempt's timeout. */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** The waits before each retry, after the first attempt; past the last the delivery has failed. */
    static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));
    private static final Duration POLL = Duration.ofSeconds(1);
    /**
     * The first round waits this long, so that a host migrating its schema beside the start (as the demo does) is
     * not warned of tables that are being made; a delivery written meanwhile wakes the worker at once.
     */
    private static final Duration FIRST_POLL = Duration.ofSeconds(10);

    private final Transactions tx;
    private final Metrics metrics;
    private final UrlGuard guard;
    private final Sender sender;
    private final SecretBox secrets;
    private final Clock clock;
    private final Outcomes outcomes;
    private final int senderCount;
    private final ExecutorService senders;
    private final ScheduledExecutorService poller;
    private final Semaphore free;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private volatile boolean closed;

    /** A claimed delivery, with what its attempt needs. */
    record Claimed(long id, String claim, int attempts, String payload, long webhookId, Instant createdAt,
                   String url, String keyId, String sealed) {
    }

    DeliveryWorker(Transactions tx, UrlGuard guard, Sender sender, SecretBox secrets, Clock clock, int senderCount,
                   boolean background, Metrics metrics) {
        this.tx = tx;
        this.metrics = metrics;
        this.guard = guard;
        this.sender = sender;
        this.secrets = secrets;
        this.clock = clock;
        this.outcomes = new Outcomes(tx, clock);
        this.senderCount = senderCount;
        this.free = new Semaphore(senderCount);
        this.senders = Executors.newFixedThreadPool(senderCount, daemon("accounts-webhook-sender"));
        this.poller = background ? Executors.newSingleThreadScheduledExecutor(daemon("accounts-webhook-poller")) : null;
        if (poller != null) {
            poller.scheduleWithFixedDelay(this::poll, FIRST_POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Looks for due deliveries now rather than at the next poll (a delivery was just written or released). */
    void wake() {
        if (poller != null && !closed && wakeQueued.compareAndSet(false, true)) {
            poller.execute(() -> {
                wakeQueued.set(false);
                poll();
            });
        }
    }

    /** See {@link Webhooks#deliverDue}. */
    int deliverDue() {
        int sent = 0;
        while (!closed) {
            List<Claimed> claimed = claim(senderCount);
            if (claimed.isEmpty()) {
                return sent;
            }
            List<Future<?>> attempts = new ArrayList<>();
            claimed.forEach(c -> attempts.add(senders.submit(() -> attempt(c))));
            for (Future<?> f : attempts) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return sent;
                } catch (ExecutionException e) {
                    log.warn("A webhook attempt failed unexpectedly: {}", e.getCause().toString());
                }
            }
            sent += claimed.size();
        }
        return sent;
    }

    /** The background round: claims as many as there are free senders, and hands each to one. */
    private void poll() {
        try {
            while (!closed) {
                int permits = free.drainPermits();
                if (permits == 0) {
                    return;
                }
                List<Claimed> claimed = claim(permits);
                free.release(permits - claimed.size());
                for (Claimed c : claimed) {
                    senders.execute(() -> {
                        try {
                            attempt(c);
                        } finally {
                            free.release();
                            wake();
                        }
                    });
                }
                if (claimed.size() < permits) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.warn("Looking for due webhook deliveries failed; trying again in {}: {}", POLL, e.toString());
        }
    }

    private List<Claimed> claim(int max) {
        Instant now = clock.instant();
        String claim = UUID.randomUUID().toString();
        return tx.inTransaction(em -> em.unwrap(Session.class).doReturningWork(c -> {
            List<Long> due = due(c, now, max);
            try (PreparedStatement ps = c.prepareStatement("""
                    update webhook_deliveries set claim = ?, claimed_until = ?
                    where id = ? and status = 'pending' and next_attempt_at <= ?
                      and (claimed_until is null or claimed_until < ?)""")) {
                for (long id : due) {
                    ps.setString(1, claim);
                    ps.setObject(2, at(now.plus(LEASE)));
                    ps.setLong(3, id);
                    ps.setObject(4, at(now));
                    ps.setObject(5, at(now));
                    ps.executeUpdate();
                }
            }
            return claimed(c, claim);
        }));
    }

    private static List<Long> due(Connection c, Instant now, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id from webhook_deliveries
                where status = 'pending' and next_attempt_at <= ? and (claimed_until is null or claimed_until < ?)
                order by next_attempt_at, id fetch first ? rows only for update skip locked""")) {
            ps.setObject(1, at(now));
            ps.setObject(2, at(now));
            ps.setInt(3, max);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private static List<Claimed> claimed(Connection c, String claim) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select d.id, d.attempts, d.payload, d.webhook_id, d.created_at, w.url, w.secret_key_id,
                       w.secret_sealed
                from webhook_deliveries d join webhooks w on w.id = d.webhook_id where d.claim = ?""")) {
            ps.setString(1, claim);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(rs.getLong(1), claim, rs.getInt(2), rs.getString(3), rs.getLong(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7),
                            rs.getString(8)));
                }
            }
            return out;
        }
    }

    /** One attempt: the URL checked again, the body signed and posted, the outcome recorded. */
    private void attempt(Claimed c) {
        long started = System.nanoTime();
        Sender.Answer answer;
        try {
            UrlGuard.Target target = guard.check(c.url());
            answer = sender.post(target, headers(c), c.payload().getBytes(StandardCharsets.UTF_8));
        } catch (AccountsException e) { // the URL now resolves somewhere it may not go: an attempt that failed
            answer = Sender.Answer.failed(e.code() == ErrorCode.INVALID_WEBHOOK_URL
                    ? "Refused by the URL check: " + e.getMessage()
                    : "Could not sign: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        }
        try {
            metrics.webhookAttempt(outcomes.record(c, answer), System.nanoTime() - started);
        } catch (RuntimeException e) {
            log.warn("Could not record the outcome of webhook delivery {}; it is tried again once its claim "
                    + "expires: {}", c.id(), e.toString());
        }
    }

    private Map<String, String> headers(Claimed c) {
        String id = Long.toString(c.id());
        long timestamp = clock.instant().getEpochSecond();
        try {
            String signature = new Webhook(secrets.open(c.keyId(), c.sealed())).sign(id, timestamp, c.payload());
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", signature);
            return headers;
        } catch (WebhookSigningException | EmptyWebhookSecretException e) {
            throw AccountsException.internal(e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
