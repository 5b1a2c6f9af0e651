package io.github.accounts.core.webhook;

import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.WebhookOutcome;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;

import static io.github.accounts.core.webhook.DeliveryOutbox.at;
import static io.github.accounts.core.webhook.DeliveryWorker.BACKOFF;

/**
 * Records an attempt's outcome, only while the claim is still this instance's: a 2xx is delivered; anything else is
 * tried again after {@link DeliveryWorker#BACKOFF}'s next step, with the reason kept when no status came, and failed
 * after the last. A webhook whose delivery failed with nothing delivered to it since that delivery was written (its
 * receiver refused everything for the whole back-off, about 28 hours) is disabled: no delivery is written for it until
 * an operator retries one of its failed deliveries. Thread-safe.
 */
final class Outcomes {
    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final Transactions tx;
    private final Clock clock;

    Outcomes(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    WebhookOutcome record(DeliveryWorker.Claimed c, Sender.Answer answer) {
        Instant now = clock.instant();
        boolean delivered = answer.status() >= 200 && answer.status() < 300;
        int attempts = c.attempts() + 1;
        boolean failed = !delivered && attempts > BACKOFF.size();
        DeliveryStatus outcome = delivered ? DeliveryStatus.DELIVERED
                : failed ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
        Instant next = outcome == DeliveryStatus.PENDING ? now.plus(BACKOFF.get(attempts - 1)) : null;
        boolean disabled = tx.inTransaction(em -> em.unwrap(Session.class).doReturningWork(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("""
                    update webhook_deliveries set attempts = ?, last_status_code = ?, last_error = ?, status = ?,
                      next_attempt_at = ?, delivered_at = ?, claim = null, claimed_until = null
                    where id = ? and claim = ?""")) {
                ps.setInt(1, attempts);
                ps.setObject(2, answer.status() == Sender.NO_ANSWER ? null : answer.status(), Types.INTEGER);
                ps.setObject(3, delivered ? null : answer.error(), Types.VARCHAR);
                ps.setString(4, outcome.wireName());
                ps.setObject(5, next == null ? null : at(next), Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(6, delivered ? at(now) : null, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setLong(7, c.id());
                ps.setString(8, c.claim());
                return ps.executeUpdate() == 1 && failed && disable(conn, c);
            }
        }));
        if (disabled) {
            log.warn("Webhook {} is disabled: its delivery {} failed after {} attempts and nothing was delivered to "
                    + "it since {}; retrying a failed delivery enables it again", c.webhookId(), c.id(), attempts,
                    c.createdAt());
        }
        return delivered ? WebhookOutcome.DELIVERED : failed ? WebhookOutcome.FAILED : WebhookOutcome.RETRY;
    }

    /** Disables the webhook unless something was delivered to it since {@code c} was written. */
    private static boolean disable(Connection conn, DeliveryWorker.Claimed c) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("""
                update webhooks set disabled = true where id = ? and disabled = false and not exists
                  (select 1 from webhook_deliveries
                   where webhook_id = ? and status = 'delivered' and delivered_at >= ?)""")) {
            ps.setLong(1, c.webhookId());
            ps.setLong(2, c.webhookId());
            ps.setObject(3, at(c.createdAt()));
            return ps.executeUpdate() == 1;
        }
    }
}
