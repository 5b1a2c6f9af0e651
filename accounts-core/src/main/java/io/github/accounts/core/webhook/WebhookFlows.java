package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.github.accounts.core.webhook.DeliveryOutbox.at;

/**
 * The operators' side of webhooks over the {@code webhooks} and {@code webhook_deliveries} tables. The URL is checked
 * (a name lookup) before the transaction that stores it; each change is an event of the operator, published once its
 * transaction committed. Thread-safe.
 */
final class WebhookFlows implements Webhooks {
    /**
     * A page of a webhook's deliveries, newest first, before an id. Ordered by {@code webhook_id, id desc}, its
     * index's order, so that H2 reads only the page's rows (with {@code id desc} alone it read and sorted all).
     */
    static final String DELIVERIES_PAGE = """
            select id, event_id, status, attempts, last_status_code, next_attempt_at, delivered_at, last_error
            from webhook_deliveries where webhook_id = ? and id < ?
            order by webhook_id, id desc fetch first ? rows only""";

    /** At most this many webhooks per deployment: every event's transaction reads them all. */
    static final int MAX_WEBHOOKS = 1_000;
    private static final int MAX_DESCRIPTION = 500;

    private final Transactions tx;
    private final EventLog events;
    private final UrlGuard guard;
    private final SecretBox secrets;
    private final DeliveryWorker worker;
    private final Clock clock;

    WebhookFlows(Transactions tx, EventLog events, UrlGuard guard, SecretBox secrets, DeliveryWorker worker,
                 Clock clock) {
        this.tx = tx;
        this.events = events;
        this.guard = guard;
        this.secrets = secrets;
        this.worker = worker;
        this.clock = clock;
    }

    @Override
    public CreatedWebhook create(Authenticated operator, String url, List<String> eventTypes, String description,
                                 ClientInfo client) {
        Objects.requireNonNull(client, "null client; pass ClientInfo.unknown() when there is none");
        if (url == null || url.isBlank()) {
            throw AccountsException.invalid(List.of(FieldError.required("url")));
        }
        EventTypes types = EventTypes.parse(eventTypes);
        String about = description(description);
        String checkedUrl = url.strip();
        guard.check(checkedUrl);
        String secret = secrets.newSecret();
        Instant now = clock.instant();
        Created created = tx.inTransaction(em -> {
            long count = ((Number) em.createNativeQuery("select count(*) from webhooks").getSingleResult())
                    .longValue();
            if (count >= MAX_WEBHOOKS) {
                throw AccountsException.of(ErrorCode.VALIDATION_FAILED, "At most " + MAX_WEBHOOKS
                        + " webhooks can be registered.");
            }
            long id = insert(em, checkedUrl, types, about, secrets.seal(secret), now);
            AccountEvent event = events.recordUnpublished(em, operator.userId(), AccountEvent.WEBHOOK_CREATED,
                    operator.sessionId(), client, Map.of("webhook_id", id, "actor_user_id", operator.userId()));
            return new Created(new Webhook(id, checkedUrl, types.patterns(), about, now, false), event);
        });
        events.publish(created.event());
        return new CreatedWebhook(created.webhook(), secret);
    }

    private record Created(Webhook webhook, AccountEvent event) {
    }

    private long insert(EntityManager em, String url, EventTypes types, String description, String sealed,
                        Instant now) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into webhooks (url, event_types, description, secret_key_id, secret_sealed, disabled,
                                          created_at)
                    values (?, ?, ?, ?, ?, false, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, url);
                ps.setString(2, types.column());
                ps.setObject(3, description, Types.VARCHAR);
                ps.setString(4, secrets.keyId());
                ps.setString(5, sealed);
                ps.setObject(6, at(now));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @Override
    public List<Webhook> list() {
        return tx.read(em -> em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, url, event_types, description, created_at, disabled from webhooks
                    order by id fetch first ? rows only""")) {
                ps.setInt(1, MAX_WEBHOOKS);
                List<Webhook> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Webhook(rs.getLong(1), rs.getString(2),
                                EventTypes.stored(rs.getString(3)).patterns(), rs.getString(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getBoolean(6)));
                    }
                }
                return out;
            }
        }));
    }

    @Override
    public void delete(Authenticated operator, long webhookId, ClientInfo client) {
        Objects.requireNonNull(client, "null client; pass ClientInfo.unknown() when there is none");
        AccountEvent event = tx.inTransaction(em -> {
            int deleted = em.createNativeQuery("delete from webhooks where id = ?").setParameter(1, webhookId)
                    .executeUpdate();
            if (deleted == 0) {
                throw notFound();
            }
            return events.recordUnpublished(em, operator.userId(), AccountEvent.WEBHOOK_DELETED,
                    operator.sessionId(), client, Map.of("webhook_id", webhookId, "actor_user_id",
                            operator.userId()));
        });
        events.publish(event);
    }

    @Override
    public DeliveryPage deliveries(long webhookId, Long before, int limit) {
        List<FieldError> errors = new ArrayList<>();
        if (limit < 1 || limit > 100) {
            errors.add(new FieldError("limit", "out_of_range", "limit must be between 1 and 100."));
        }
        if (before != null && before < 1) {
            errors.add(new FieldError("before", "out_of_range", "before must be a positive delivery id."));
        }
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        List<Delivery> rows = tx.read(em -> em.unwrap(Session.class).doReturningWork(c -> {
            if (!exists(c, webhookId)) {
                throw notFound();
            }
            return page(c, webhookId, before == null ? Long.MAX_VALUE : before, limit + 1);
        }));
        boolean more = rows.size() > limit;
        List<Delivery> page = more ? rows.subList(0, limit) : rows;
        return new DeliveryPage(page, more ? page.get(limit - 1).id() : null);
    }

    private static boolean exists(Connection c, long webhookId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from webhooks where id = ?")) {
            ps.setLong(1, webhookId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Delivery> page(Connection c, long webhookId, long before, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELIVERIES_PAGE)) {
            ps.setLong(1, webhookId);
            ps.setLong(2, before);
            ps.setInt(3, limit);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime next = rs.getObject(6, OffsetDateTime.class);
                    OffsetDateTime delivered = rs.getObject(7, OffsetDateTime.class);
                    out.add(new Delivery(rs.getLong(1), rs.getLong(2), DeliveryStatus.of(rs.getString(3)),
                            rs.getInt(4), rs.getObject(5, Integer.class), next == null ? null : next.toInstant(),
                            delivered == null ? null : delivered.toInstant(), rs.getString(8)));
                }
            }
            return out;
        }
    }

    @Override
    public void retry(long webhookId, long deliveryId) {
        tx.inTransaction(em -> {
            int updated = em.createNativeQuery("""
                            update webhook_deliveries set status = 'pending', next_attempt_at = ?
                            where id = ? and webhook_id = ? and status = 'failed'""")
                    .setParameter(1, at(clock.instant())).setParameter(2, deliveryId).setParameter(3, webhookId)
                    .executeUpdate();
            if (updated == 0) {
                throw notFound();
            }
            // the operator says the receiver is back: a webhook its failures disabled takes new events again
            return em.createNativeQuery("update webhooks set disabled = false where id = ? and disabled = true")
                    .setParameter(1, webhookId).executeUpdate();
        });
        worker.wake();
    }

    @Override
    public int deliverDue() {
        return worker.deliverDue();
    }

    private static String description(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String about = value.strip();
        if (about.length() > MAX_DESCRIPTION || about.chars().anyMatch(Character::isISOControl)) {
            throw AccountsException.invalid(List.of(new FieldError("description", "invalid",
                    "description must be at most " + MAX_DESCRIPTION + " characters, without control characters.")));
        }
        return about;
    }

    private static AccountsException notFound() {
        return AccountsException.of(ErrorCode.NOT_FOUND, "No such webhook or delivery.");
    }
}
