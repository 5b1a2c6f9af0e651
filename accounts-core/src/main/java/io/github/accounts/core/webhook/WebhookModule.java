package io.github.accounts.core.webhook;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.Metrics;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final SecretBox secrets;

    /**
     * Wires webhooks over {@code emf} (the factory of {@code events}' transactions), sealing secrets under
     * {@code key} (32 bytes) and still opening those sealed under {@code olderKeys}; with {@code background} a poller
     * looks for due deliveries every second. Attempts are counted and timed in {@code metrics}.
     */
    public WebhookModule(EntityManagerFactory emf, EventLog events, byte[] key, List<byte[]> olderKeys,
                         WebhookPolicy policy, Clock clock, boolean background, Metrics metrics) {
        Objects.requireNonNull(events, "null events");
        Objects.requireNonNull(policy, "null policy");
        this.tx = new Transactions(Objects.requireNonNull(emf, "null emf"));
        this.clock = Objects.requireNonNull(clock, "null clock");
        this.secrets = new SecretBox(key, olderKeys);
        UrlGuard guard = new UrlGuard(policy);
        Sender sender = new Sender(policy.tls().getSocketFactory(), Sender.TIMEOUT);
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

    /**
     * Seals again under the current key up to {@code batch} secrets sealed under an older one; returns how many. Once
     * it finds none on every instance, the older keys can be dropped.
     */
    public int resealOlder(int batch) {
        return tx.inTransaction(em -> em.unwrap(Session.class).doReturningWork(c -> {
            List<String[]> older = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, secret_key_id, secret_sealed from webhooks where secret_key_id <> ?
                    order by id fetch first ? rows only for update""")) {
                ps.setString(1, secrets.keyId());
                ps.setInt(2, batch);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        older.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    update webhooks set secret_key_id = ?, secret_sealed = ? where id = ? and secret_key_id = ?""")) {
                for (String[] row : older) {
                    ps.setString(1, secrets.keyId());
                    ps.setString(2, secrets.seal(secrets.open(row[1], row[2])));
                    ps.setLong(3, Long.parseLong(row[0]));
                    ps.setString(4, row[1]);
                    ps.executeUpdate();
                }
            }
            return older.size();
        }));
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
