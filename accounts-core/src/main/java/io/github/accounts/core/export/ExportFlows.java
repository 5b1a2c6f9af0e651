package io.github.accounts.core.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.internal.Transactions;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.Session;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * The export as plain SQL over named columns: what it selects is what it exports, so no digest, sealed secret or
 * token column can slip in with a later change to an entity. Each part is its own short read; events go in pages of
 * {@link #PAGE} by id, each page written before the next is read. Thread-safe.
 */
final class ExportFlows implements DataExport {
    static final int PAGE = 500;
    private static final JsonFactory JSON = new JsonFactory();

    private final Transactions tx;

    ExportFlows(EntityManagerFactory emf) {
        this.tx = new Transactions(Objects.requireNonNull(emf, "null emf"));
    }

    @Override
    public void write(Authenticated current, OutputStream out) throws IOException {
        long userId = current.userId();
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            part(json, "user", c -> user(c, userId, json));
            part(json, "sessions", c -> sessions(c, userId, json));
            part(json, "passkeys", c -> passkeys(c, userId, json));
            part(json, "identities", c -> identities(c, userId, json));
            part(json, "mfa", c -> mfa(c, userId, json));
            json.writeArrayFieldStart("events");
            long after = 0;
            while (after >= 0) {
                long from = after;
                after = read(c -> events(c, userId, from, json));
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** One read of the database, its rows written as {@code name}'s value. */
    private void part(JsonGenerator json, String name, SqlWork<Void> work) throws IOException {
        json.writeFieldName(name);
        read(work);
    }

    /** Runs {@code work} on a connection of its own; a failure to write is the caller's {@link IOException}. */
    private <T> T read(SqlWork<T> work) throws IOException {
        try {
            return tx.read(em -> em.unwrap(Session.class).doReturningWork(c -> {
                try {
                    return work.run(c);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (AccountsException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException, IOException;
    }

    private static Void user(Connection c, long userId, JsonGenerator json) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id, email, fname, lname, email_verified_at, mfa_enabled_at, disabled_at, disabled_reason,
                       created_at, updated_at
                from users where id = ?""")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw AccountsException.of(ErrorCode.UNAUTHENTICATED, "The account no longer exists.");
                }
                json.writeStartObject();
                json.writeNumberField("id", rs.getLong(1));
                json.writeStringField("email", rs.getString(2));
                json.writeStringField("fname", rs.getString(3));
                json.writeStringField("lname", rs.getString(4));
                json.writeBooleanField("email_verified", rs.getObject(5) != null);
                instant(json, "email_verified_at", rs, 5);
                json.writeBooleanField("mfa_enabled", rs.getObject(6) != null);
                instant(json, "disabled_at", rs, 7);
                json.writeStringField("disabled_reason", rs.getString(8));
                instant(json, "created_at", rs, 9);
                instant(json, "updated_at", rs, 10);
                json.writeEndObject();
                return null;
            }
        }
    }

    private static Void sessions(Connection c, long userId, JsonGenerator json) throws SQLException, IOException {
        return rows(c, """
                select id, created_at, last_used_at, expires_at, refresh_expires_at, user_agent, ip
                from sessions where user_id = ? order by id""", userId, json, rs -> {
            json.writeNumberField("id", rs.getLong(1));
            instant(json, "created_at", rs, 2);
            instant(json, "last_used_at", rs, 3);
            instant(json, "expires_at", rs, 4);
            instant(json, "refresh_expires_at", rs, 5);
            json.writeStringField("user_agent", rs.getString(6));
            json.writeStringField("ip", rs.getString(7));
        });
    }

    private static Void passkeys(Connection c, long userId, JsonGenerator json) throws SQLException, IOException {
        return rows(c, """
                select id, name, created_at, last_used_at, transports from passkey_credentials
                where user_id = ? order by id""", userId, json, rs -> {
            json.writeNumberField("id", rs.getLong(1));
            json.writeStringField("name", rs.getString(2));
            instant(json, "created_at", rs, 3);
            instant(json, "last_used_at", rs, 4);
            json.writeArrayFieldStart("transports");
            String transports = rs.getString(5);
            if (transports != null && !transports.isBlank()) {
                for (String t : transports.split(",")) {
                    json.writeString(t.strip());
                }
            }
            json.writeEndArray();
        });
    }

    /** The identity shape of the federation routes: no issuer or subject, the provider's id names it. */
    private static Void identities(Connection c, long userId, JsonGenerator json) throws SQLException, IOException {
        return rows(c, """
                select id, provider_id, email, linked_at, last_used_at from user_identities
                where user_id = ? order by id""", userId, json, rs -> {
            json.writeNumberField("id", rs.getLong(1));
            json.writeStringField("provider", rs.getString(2));
            json.writeStringField("email", rs.getString(3));
            instant(json, "linked_at", rs, 4);
            instant(json, "last_used_at", rs, 5);
        });
    }

    /** One row's fields, written into the object {@link #rows} opened for it. */
    @FunctionalInterface
    private interface Fields {
        void write(ResultSet rs) throws SQLException, IOException;
    }

    /** The rows {@code sql} selects for {@code userId} (its one parameter), as an array of one object each. */
    private static Void rows(Connection c, String sql, long userId, JsonGenerator json, Fields fields)
            throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, userId);
            json.writeStartArray();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    json.writeStartObject();
                    fields.write(rs);
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            return null;
        }
    }

    private static Void mfa(Connection c, long userId, JsonGenerator json) throws SQLException, IOException {
        boolean totp;
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from mfa_totp where user_id = ? and confirmed_at is not null")) {
            ps.setLong(1, userId);
            totp = count(ps) > 0;
        }
        long codes;
        try (PreparedStatement ps = c.prepareStatement("select count(*) from mfa_recovery_codes where user_id = ?")) {
            ps.setLong(1, userId);
            codes = count(ps);
        }
        json.writeStartObject();
        json.writeBooleanField("totp_enabled", totp);
        json.writeNumberField("recovery_codes_left", codes);
        json.writeEndObject();
        return null;
    }

    /** One page of events after id {@code after}, written; the last id, or -1 when that was the last page. */
    private static long events(Connection c, long userId, long after, JsonGenerator json)
            throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("""
                select id, type, occurred_at, session_id, ip, user_agent, detail from account_events
                where user_id = ? and id > ? order by id fetch first ? rows only""")) {
            ps.setLong(1, userId);
            ps.setLong(2, after);
            ps.setInt(3, PAGE);
            long last = after;
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    rows++;
                    event(rs, json);
                }
            }
            return rows < PAGE ? -1 : last;
        }
    }

    private static void event(ResultSet rs, JsonGenerator json) throws SQLException, IOException {
        json.writeStartObject();
        json.writeNumberField("id", rs.getLong(1));
        json.writeStringField("type", rs.getString(2));
        instant(json, "at", rs, 3);
        Long session = rs.getObject(4, Long.class);
        json.writeFieldName("session_id");
        if (session == null) {
            json.writeNull();
        } else {
            json.writeNumber(session);
        }
        json.writeStringField("ip", rs.getString(5));
        json.writeStringField("user_agent", rs.getString(6));
        json.writeFieldName("detail");
        json.writeRawValue(rs.getString(7)); // the flat JSON object the event log wrote
        json.writeEndObject();
    }

    private static long count(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void instant(JsonGenerator json, String name, ResultSet rs, int column)
            throws SQLException, IOException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value.toInstant().toString());
        }
    }
}
