package io.github.accounts.core.event;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.internal.Transactions;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code account_events} table: writes join the caller's transaction (plain JDBC on its connection) and reach
 * the listeners only once it commits; reads page a user's events newest first by id. Thread-safe.
 */
public final class EventLog implements Events, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLog.class);
    private static final int MAX_USER_AGENT = 512;
    private static final int MAX_IP = 64;
    private static final String COLUMNS = "id, user_id, type, occurred_at, session_id, ip, user_agent, detail";
    /*
     * Both newest-first reads order by user_id, id desc and bound the id, so that H2 walks the (user_id, id desc)
     * index and reads only the rows it answers with: with "order by id desc" alone, or without the bound (then it
     * took the foreign key's index on user_id), it read and sorted every event of the account. PostgreSQL walks the
     * index either way.
     */
    /** A page of a user's events, newest first, before an id. */
    static final String PAGE = "select " + COLUMNS + " from account_events where user_id = ? and id < ?"
            + " order by user_id, id desc fetch first ? rows only";
    /** A user's newest event of a type since an instant, before an id (any: {@link Long#MAX_VALUE}). */
    static final String LATEST = "select " + COLUMNS + " from account_events where user_id = ? and id < ?"
            + " and type = ? and occurred_at >= ? order by user_id, id desc fetch first 1 rows only";

    private final Transactions tx;
    private final Clock clock;
    private final Duration retention;
    private final EventDispatch dispatch;
    private final List<EventOutbox> outboxes = new CopyOnWriteArrayList<>();

    public EventLog(Transactions tx, Clock clock, Duration retention, List<AccountEventListener> listeners,
                    int queueCapacity) {
        this.tx = tx;
        this.clock = clock;
        this.retention = retention;
        this.dispatch = new EventDispatch(listeners, queueCapacity);
    }

    /**
     * Adds an outbox whose rows every event writes in its own transaction from now on; called while wiring, before
     * the first event.
     */
    public void writeAlong(EventOutbox outbox) {
        outboxes.add(Objects.requireNonNull(outbox, "null outbox"));
    }

    /** Records an event in {@code em}'s transaction; the listeners hear of it after commit. */
    public AccountEvent record(EntityManager em, Long userId, String type, Long sessionId, ClientInfo client,
                               Map<String, Object> detail) {
        AccountEvent event = insert(em, userId, type, sessionId, client, detail, false);
        tx.afterCommit(em, () -> dispatch.publish(event));
        return event;
    }

    /**
     * Records an event the caller {@link #publish}es itself, or {@link #settle}s or {@link #discard}s in a later
     * transaction: a sign-in's failure, written with the reservation that counts it, before the outcome is known.
     */
    public AccountEvent recordUnpublished(EntityManager em, Long userId, String type, Long sessionId,
                                          ClientInfo client, Map<String, Object> detail) {
        return insert(em, userId, type, sessionId, client, detail, true);
    }

    /** The event row and, on the same connection, its outboxes' rows (held ones wait for publish or settle). */
    private AccountEvent insert(EntityManager em, Long userId, String type, Long sessionId, ClientInfo client,
                                Map<String, Object> detail, boolean held) {
        AccountEvent draft = new AccountEvent(0, userId, type, clock.instant(), sessionId, cut(client.ip(), MAX_IP),
                cut(client.userAgent(), MAX_USER_AGENT), detail);
        return em.unwrap(Session.class).doReturningWork(connection -> {
            long id = insert(connection, draft);
            AccountEvent event = new AccountEvent(id, userId, type, draft.at(), sessionId, draft.ip(),
                    draft.userAgent(), detail);
            for (EventOutbox outbox : outboxes) {
                outbox.write(connection, event, held);
            }
            return event;
        });
    }

    /**
     * Records a repeated event of a user once per {@code window}: the first is a new event with detail
     * {@code attempts: 1}, heard by the listeners after commit; each later one within {@code window} of it adds one
     * to {@code attempts} and sets {@code last_at} in that same row, and is not published again. So a flood of
     * refused attempts is one row per window, not one per request. The caller makes writes for one user take turns
     * (a row lock), so two at once do not both start a window.
     */
    public void recordOrCount(EntityManager em, long userId, String type, ClientInfo client, Duration window) {
        Instant now = clock.instant();
        List<AccountEvent> open = em.unwrap(Session.class).doReturningWork(connection -> latest(connection, userId,
                type, now.minus(window)));
        if (open.isEmpty()) {
            record(em, userId, type, null, client, Map.of("attempts", 1L));
            return;
        }
        AccountEvent counted = open.get(0);
        Map<String, Object> detail = new LinkedHashMap<>(counted.detail());
        detail.put("attempts", ((Number) detail.getOrDefault("attempts", 1L)).longValue() + 1);
        detail.put("last_at", now.toString());
        em.createNativeQuery("update account_events set detail = ? where id = ?")
                .setParameter(1, EventDetail.write(detail)).setParameter(2, counted.id()).executeUpdate();
    }

    /** Tells the listeners of an event recorded with {@link #recordUnpublished} whose transaction committed. */
    public void publish(AccountEvent event) {
        for (EventOutbox outbox : outboxes) {
            if (outbox.mayHold(event.type())) {
                releaseQuietly(outbox, event);
            }
        }
        dispatch.publish(event);
    }

    /** A release that fails costs only time: held work goes out by itself after a while. */
    private void releaseQuietly(EventOutbox outbox, AccountEvent event) {
        try {
            tx.inTransaction(em -> em.unwrap(Session.class).doReturningWork(c -> outbox.release(c, event)));
        } catch (AccountsException e) {
            log.warn("Could not release the held outbox rows of event {}; they go out later: {}", event.id(),
                    e.toString());
        }
    }

    /** Turns an unpublished event into its final type and session (time and id stay); published after commit. */
    public void settle(EntityManager em, AccountEvent pending, String type, Long sessionId) {
        settle(em, pending, type, sessionId, pending.detail());
    }

    /** As {@link #settle(EntityManager, AccountEvent, String, Long)}, with the final {@code detail} too. */
    public void settle(EntityManager em, AccountEvent pending, String type, Long sessionId,
                       Map<String, Object> detail) {
        AccountEvent event = new AccountEvent(pending.id(), pending.userId(), type, pending.at(), sessionId,
                pending.ip(), pending.userAgent(), detail);
        em.createNativeQuery("update account_events set type = ?, session_id = ?, detail = ? where id = ?")
                .setParameter(1, type).setParameter(2, sessionId).setParameter(3, EventDetail.write(detail))
                .setParameter(4, pending.id()).executeUpdate();
        em.unwrap(Session.class).doWork(connection -> {
            for (EventOutbox outbox : outboxes) {
                outbox.withdraw(connection, pending.id());
                outbox.write(connection, event, false);
            }
        });
        tx.afterCommit(em, () -> dispatch.publish(event));
    }

    /** Deletes an unpublished event whose outcome never came (the attempt was not judged). */
    public void discard(EntityManager em, AccountEvent pending) {
        em.unwrap(Session.class).doWork(connection -> {
            for (EventOutbox outbox : outboxes) {
                outbox.withdraw(connection, pending.id());
            }
        });
        em.createNativeQuery("delete from account_events where id = ?").setParameter(1, pending.id()).executeUpdate();
    }

    /** Up to {@code limit} (1 to 100) of the user's events older than id {@code before} (null: the newest). */
    @Override
    public EventPage page(Authenticated current, Long before, int limit) {
        return page(current.userId(), before, limit);
    }

    /** The events of user {@code userId}, as {@link #page(Authenticated, Long, int)} reads them. */
    public EventPage page(long userId, Long before, int limit) {
        List<FieldError> errors = new ArrayList<>();
        if (limit < 1 || limit > 100) {
            errors.add(new FieldError("limit", "out_of_range", "limit must be between 1 and 100."));
        }
        if (before != null && before < 1) {
            errors.add(new FieldError("before", "out_of_range", "before must be a positive event id."));
        }
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        List<AccountEvent> rows = tx.read(em -> em.unwrap(Session.class).doReturningWork(connection -> select(
                connection, userId, before == null ? Long.MAX_VALUE : before, limit + 1)));
        boolean more = rows.size() > limit;
        List<AccountEvent> page = more ? rows.subList(0, limit) : rows;
        return new EventPage(page, more ? page.get(limit - 1).id() : null);
    }

    /** Deletes up to {@code batch} events older than the retention; returns how many. */
    public int purgeExpired(int batch) {
        Instant cutoff = clock.instant().minus(retention);
        return tx.inTransaction(em -> em.createNativeQuery("""
                        delete from account_events where id in
                        (select id from account_events where occurred_at < ?
                         order by occurred_at fetch first ? rows only)""")
                .setParameter(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC)).setParameter(2, batch)
                .executeUpdate());
    }

    /** How many events the listeners never heard of because their queue was full. */
    @Override
    public long dropped() {
        return dispatch.dropped();
    }

    @Override
    public void close() {
        dispatch.close();
    }

    private static long insert(Connection connection, AccountEvent e) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into account_events (user_id, type, occurred_at, session_id, ip, user_agent, detail)
                values (?, ?, ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, e.userId(), Types.BIGINT);
            ps.setString(2, e.type());
            ps.setObject(3, OffsetDateTime.ofInstant(e.at(), ZoneOffset.UTC));
            ps.setObject(4, e.sessionId(), Types.BIGINT);
            ps.setString(5, e.ip());
            ps.setString(6, e.userAgent());
            ps.setString(7, EventDetail.write(e.detail()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static List<AccountEvent> select(Connection connection, long userId, long before, int limit)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(PAGE)) {
            ps.setLong(1, userId);
            ps.setLong(2, before);
            ps.setInt(3, limit);
            return rows(ps);
        }
    }

    private static List<AccountEvent> rows(PreparedStatement ps) throws SQLException {
        List<AccountEvent> events = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                events.add(new AccountEvent(rs.getLong(1), rs.getObject(2, Long.class), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getObject(5, Long.class),
                        rs.getString(6), rs.getString(7), EventDetail.read(rs.getString(8))));
            }
        }
        return events;
    }

    /** The user's newest event of {@code type} at or after {@code since}, if any. */
    private static List<AccountEvent> latest(Connection connection, long userId, String type, Instant since)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(LATEST)) {
            ps.setLong(1, userId);
            ps.setLong(2, Long.MAX_VALUE);
            ps.setString(3, type);
            ps.setObject(4, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            return rows(ps);
        }
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
