package io.github.accounts.demo;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * The demo's own data: how often each user has been greeted, in the {@code greeting_counts} table of the demo's
 * change set. Plain JDBC on the shared pool, to show that host data needs nothing from accounts but the user's id.
 * Thread-safe.
 */
final class Greetings {
    private final DataSource dataSource;
    private final Clock clock;

    Greetings(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Counts one more greeting for the user. */
    void record(long userId) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (increment(c, userId, now) > 0) {
                return;
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO greeting_counts (user_id, greetings, last_greeted_at) VALUES (?, 1, ?)")) {
                insert.setLong(1, userId);
                insert.setTimestamp(2, now);
                insert.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
                increment(c, userId, now); // a concurrent request inserted the row first
            }
        }
    }

    private static int increment(Connection c, long userId, Timestamp now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE greeting_counts SET greetings = greetings + 1, last_greeted_at = ? WHERE user_id = ?")) {
            update.setTimestamp(1, now);
            update.setLong(2, userId);
            return update.executeUpdate();
        }
    }
}
