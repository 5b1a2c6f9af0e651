package io.github.accounts.core.webhook;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.Metrics;
import jakarta.persistence.EntityManagerFactory;

import javax.net.ssl.SSLSocketFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The webhook feature as {@code Accounts} wires it: joins its outbox to the event log (every event's transaction
 * writes its deliveries), starts the delivery worker and serves {@link #service()}. Not for hosts: they use
 * {@code Accounts.webhooks()}. Thread-safe; {@link #close} stops the worker's threads.
 */
public final class WebhookModule implements AutoCloseable {
    /** How long delivered and failed deliveries are kept before the purge deletes them. */
    static final Duration KEEP_FINISHED = Duration.ofDays(30);

    private final Transactions tx;
    private final Clock clock;
    private final DeliveryWorker worker;
    private final WebhookFlows flows;
    private final DeliveryOutbox outbox;

    /**
     * Wires webhooks over {@code emf} (the factory of {@code events}' transactions), sealing secrets under
     * {@code key} (32 bytes); with {@code background} a poller looks for due deliveries every second. Attempts are
     * counted and timed in {@code metrics}.
     */
    public WebhookModule(EntityManagerFactory emf, EventLog events, byte[] key, WebhookPolicy policy, Clock clock,
                         boolean background, Metrics metrics) {
        Objects.requireNonNull(events, "null events");
        Objects.requireNonNull(policy, "null policy");
        this.tx = new Transactions(Objects.requireNonNull(emf, "null emf"));
        this.clock = Objects.requireNonNull(clock, "null clock");
        SecretBox secrets = new SecretBox(key);
        UrlGuard guard = new UrlGuard(policy);
        Sender sender = new Sender((SSLSocketFactory) SSLSocketFactory.getDefault(), Sender.TIMEOUT);
        this.worker = new DeliveryWorker(tx, guard, sender, secrets, clock, policy.senders(), background,
                Objects.requireNonNull(metrics, "null metrics"));
        this.flows = new WebhookFlows(tx, events, guard, secrets, worker, clock);
        this.outbox = new DeliveryOutbox(clock);
        events.writeAlong(outbox);
    }

    /** What operators do with webhooks. */
    public Webhooks service() {
        return flows;
    }

    /** An event committed: if a webhook may want it, the worker looks for due deliveries at once. */
    public void onEvent(AccountEvent event) {
        if (outbox.mayHold(event.type())) {
            worker.wake();
        }
    }

    /** The service of a deployment without a webhook key: every method is {@code not_found}. */
    public static Webhooks notSetUp() {
        return new NotSetUp();
    }

    /** Deletes up to {@code batch} deliveries delivered or failed more than 30 days ago; returns how many. */
    public int purgeFinished(int batch) {
        Instant cutoff = clock.instant().minus(KEEP_FINISHED);
        return tx.inTransaction(em -> em.createNativeQuery("""
                        delete from webhook_deliveries where id in
                        (select id from webhook_deliveries where status <> 'pending' and created_at < ?
                         order by created_at fetch first ? rows only)""")
                .setParameter(1, DeliveryOutbox.at(cutoff)).setParameter(2, batch).executeUpdate());
    }

    /** How many deliveries are still to be sent or retried. */
    public long countPending() {
        return tx.read(em -> ((Number) em.createNativeQuery(
                "select count(*) from webhook_deliveries where status = 'pending'").getSingleResult()).longValue());
    }

    @Override
    public void close() {
        worker.close();
    }
}
