package io.github.accounts.core.internal;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC on the connection of an {@link EntityManager} (its transaction's, if it has one), for the tables that
 * have no entities (passkeys', federation's): a host's own factory need not know them. Parameters: an {@link Instant} is bound as a UTC {@link OffsetDateTime}, a
 * {@link Null} as a typed SQL null (an untyped one is refused by PostgreSQL in some positions).
 */
public final class Sql {
    /** A null for a parameter of a BIGINT or a VARCHAR column. */
    public enum Null {
        BIGINT(Types.BIGINT), VARCHAR(Types.VARCHAR);

        private final int sqlType;

        Null(int sqlType) {
            this.sqlType = sqlType;
        }
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    public static int update(EntityManager em, String sql, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        });
    }

    public static <T> List<T> query(EntityManager em, String sql, RowMapper<T> mapper, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                bind(ps, params);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(mapper.map(rs));
                    }
                }
                return out;
            }
        });
    }

    public static Object nullable(Long value) {
        return value == null ? Null.BIGINT : value;
    }

    public static Object nullable(String value) {
        return value == null ? Null.VARCHAR : value;
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Null n) {
                ps.setNull(i + 1, n.sqlType);
            } else {
                ps.setObject(i + 1, p instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : p);
            }
        }
    }
}
