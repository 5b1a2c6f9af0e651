package io.github.accounts.core.internal;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * Inserts and updates whose unique-key collision is an expected race (two first failures for one throttle key, two
 * sign-ups with one email, an email change and a sign-up taking the address). They run as plain JDBC on the transaction's own connection, under a savepoint, so that a
 * collision is an ordinary result: Hibernate never sees the exception, so it never logs the statement and the
 * value (an email, a key) at WARN/ERROR, and PostgreSQL's transaction stays usable after it.
 */
public final class Jdbc {
    private static final String UNIQUE_VIOLATION = "23505";

    private Jdbc() {
    }

    /**
     * Runs {@code insertSql} with {@code params} in the caller's transaction; returns the generated id, or empty
     * when a unique key already held the value. Instants are bound as UTC {@link OffsetDateTime}s.
     */
    public static OptionalLong insertUnlessDuplicate(EntityManager em, String insertSql, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> insert(connection, insertSql, params));
    }

    /**
     * Runs {@code updateSql} with {@code params} in the caller's transaction; returns the rows it changed, or -1
     * when a unique key already held a value it would write (an email taken by a concurrent sign-up).
     */
    public static int updateUnlessDuplicate(EntityManager em, String updateSql, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> update(connection, updateSql, params));
    }

    private static int update(Connection connection, String sql, Object[] params) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            int rows = ps.executeUpdate();
            connection.releaseSavepoint(savepoint);
            return rows;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            return -1;
        }
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            ps.setObject(i + 1, p instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : p);
        }
    }

    private static OptionalLong insert(Connection connection, String sql, Object[] params) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try (PreparedStatement ps = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                OptionalLong id = keys.next() ? OptionalLong.of(keys.getLong(1)) : OptionalLong.empty();
                connection.releaseSavepoint(savepoint);
                return id;
            }
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(savepoint);
            return OptionalLong.empty();
        }
    }
}
