package io.github.accounts.core.session;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** authenticate is one indexed lookup: PostgreSQL's own plan for it, on a table large enough to have a choice. */
class SessionLookupPlanTest {
    private static final int SESSIONS = 20_000;

    @Test
    void postgresLooksSessionTokensUpThroughTheDigestIndex() throws Exception {
        try (HikariDataSource ds = TestDatabase.POSTGRES.freshMigratedDataSource(); Connection c = ds.getConnection()) {
            seed(c);
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = c.prepareStatement("""
                    explain select s.*, u.* from sessions s join users u on u.id = s.user_id
                    where s.token_digest = ?""")) {
                explain.setString(1, Tokens.digest("no such token"));
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            assertThat(plan.toString()).contains("Index Scan using uk_sessions_token_digest").doesNotContain("Seq Scan on sessions");
        }
    }

    private static void seed(Connection c) throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("insert into users (email, fname, lname, password_digest, created_at, updated_at) "
                    + "values ('plan@example.com', 'P', 'L', 'x', now(), now())");
        }
        try (PreparedStatement insert = c.prepareStatement("""
                insert into sessions (user_id, token_digest, update_digest, expires_at, refresh_expires_at,
                  absolute_expires_at, last_used_at, created_at, updated_at)
                values ((select id from users), ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < SESSIONS; i++) {
                insert.setString(1, Tokens.digest("t" + i));
                insert.setString(2, Tokens.digest("u" + i));
                for (int p = 3; p <= 8; p++) {
                    insert.setTimestamp(p, now);
                }
                insert.addBatch();
                if (i % 1_000 == 999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("analyze sessions");
        }
    }
}
