package io.github.accounts.core.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventOutbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes, in each event's transaction, one pending delivery per webhook whose types match, its body complete (the
 * event and even its user may be gone by the time it is sent). A held event's deliveries wait {@link #HOLD} unless
 * released or withdrawn first: a sign-in's failure is recorded before its outcome is known. Thread-safe.
 */
final class DeliveryOutbox implements EventOutbox {
    /** How long the deliveries of an event whose outcome is not yet known wait for it. */
    static final Duration HOLD = Duration.ofMinutes(2);

    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** The webhooks the last write saw, for {@link #mayHold}: a guess that spares most releases a transaction. */
    private volatile List<EventTypes> lastSeen = List.of();

    DeliveryOutbox(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void write(Connection connection, AccountEvent event, boolean held) throws SQLException {
        List<Long> matching = new ArrayList<>();
        List<EventTypes> seen = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "select id, event_types from webhooks where disabled = false");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                EventTypes types = EventTypes.stored(rs.getString(2));
                seen.add(types);
                if (types.matches(event.type())) {
                    matching.add(rs.getLong(1));
                }
            }
        }
        lastSeen = seen;
        if (matching.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        OffsetDateTime due = at(held ? now.plus(HOLD) : now);
        String payload = payload(event);
        try (PreparedStatement ps = connection.prepareStatement("""
                insert into webhook_deliveries (webhook_id, event_id, payload, status, attempts, next_attempt_at,
                                                created_at)
                values (?, ?, ?, 'pending', 0, ?, ?)""")) {
            for (long webhookId : matching) {
                ps.setLong(1, webhookId);
                ps.setLong(2, event.id());
                ps.setString(3, payload);
                ps.setObject(4, due);
                ps.setObject(5, at(now));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public void withdraw(Connection connection, long eventId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("""
                delete from webhook_deliveries
                where event_id = ? and status = 'pending' and attempts = 0 and claim is null""")) {
            ps.setLong(1, eventId);
            ps.executeUpdate();
        }
    }

    @Override
    public boolean release(Connection connection, AccountEvent event) throws SQLException {
        OffsetDateTime now = at(clock.instant());
        try (PreparedStatement ps = connection.prepareStatement("""
                update webhook_deliveries set next_attempt_at = ?
                where event_id = ? and status = 'pending' and attempts = 0 and next_attempt_at > ?""")) {
            ps.setObject(1, now);
            ps.setLong(2, event.id());
            ps.setObject(3, now);
            return ps.executeUpdate() > 0;
        }
    }

    @Override
    public boolean mayHold(String type) {
        return lastSeen.stream().anyMatch(t -> t.matches(type));
    }

    /** The Standard Webhooks body: {@code type}, {@code timestamp} and the event shape with {@code user_id}. */
    String payload(AccountEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", e.id());
        data.put("type", e.type());
        data.put("at", e.at().toString());
        data.put("session_id", e.sessionId());
        data.put("ip", e.ip());
        data.put("user_agent", e.userAgent());
        data.put("detail", e.detail());
        data.put("user_id", e.userId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", e.type());
        body.put("timestamp", e.at().toString());
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("Strings, numbers and maps of them always serialise", ex);
        }
    }

    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
