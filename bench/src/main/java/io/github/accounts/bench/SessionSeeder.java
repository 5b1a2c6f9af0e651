package io.github.accounts.bench;

import io.github.accounts.core.internal.Tokens;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fills a migrated database with users and live sessions through plain JDBC: multi-row inserts of
 * {@value #ROWS_PER_STATEMENT} rows, committed every {@value #ROWS_PER_TRANSACTION} rows, so a million sessions
 * take seconds rather than a transaction each. Only the "hot" sessions get real tokens (their digests are
 * SHA-256 of a token the benchmark presents); the rest carry random digests of the same shape.
 */
final class SessionSeeder {
    static final int USERS = 1_000;
    private static final int ROWS_PER_STATEMENT = 500;
    private static final int ROWS_PER_TRANSACTION = 100_000;
    private static final String SESSION_COLUMNS = "user_id, token_digest, update_digest, expires_at, refresh_expires_at,"
            + " absolute_expires_at, last_used_at, user_agent, ip, created_at, updated_at";
    private static final int SESSION_PARAMS = 11;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final DataSource ds;
    private final SplittableRandom random = new SplittableRandom(7);
    private final Tokens tokens = new Tokens();

    SessionSeeder(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts {@link #USERS} users and {@code sessions} sessions; returns the tokens of {@code hot} of them. */
    List<String> seed(int sessions, int hot, Instant now) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            long[] userIds = insertUsers(c, now);
            List<String> hotTokens = insertSessions(c, userIds, sessions, hot, now);
            c.commit();
            return hotTokens;
        }
    }

    /** Marks the hot sessions as just used, so that the benchmark measures the read path only. */
    void touch(List<String> hotTokens, Instant now) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("update sessions set last_used_at = ? where token_digest = ?")) {
            for (String token : hotTokens) {
                ps.setObject(1, utc(now));
                ps.setString(2, Tokens.digest(token));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private long[] insertUsers(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into users (email, fname, lname, password_digest,"
                + " created_at, updated_at) values (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < USERS; i++) {
                ps.setString(1, "bench-" + i + "@example.com");
                ps.setString(2, "Bench");
                ps.setString(3, "User " + i);
                ps.setString(4, ColdHashingBenchmark.DIGEST);
                ps.setObject(5, utc(now));
                ps.setObject(6, utc(now));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        long[] ids = new long[USERS];
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id from users order by id")) {
            for (int i = 0; i < USERS && rs.next(); i++) {
                ids[i] = rs.getLong(1);
            }
        }
        return ids;
    }

    private List<String> insertSessions(Connection c, long[] userIds, int sessions, int hot, Instant now)
            throws SQLException {
        int spacing = Math.max(1, sessions / hot);
        List<String> hotTokens = new ArrayList<>(hot);
        OffsetDateTime at = utc(now);
        OffsetDateTime expires = utc(now.plus(Duration.ofDays(7)));
        OffsetDateTime absolute = utc(now.plus(Duration.ofDays(30)));
        try (PreparedStatement full = c.prepareStatement(insertSql(ROWS_PER_STATEMENT))) {
            for (int start = 0; start < sessions; start += ROWS_PER_STATEMENT) {
                int rows = Math.min(ROWS_PER_STATEMENT, sessions - start);
                try (PreparedStatement partial = rows == ROWS_PER_STATEMENT ? null : c.prepareStatement(insertSql(rows))) {
                    PreparedStatement ps = partial == null ? full : partial;
                    int p = 1;
                    for (int i = start; i < start + rows; i++) {
                        String digest;
                        if (i % spacing == 0 && hotTokens.size() < hot) {
                            String token = tokens.generate();
                            hotTokens.add(token);
                            digest = Tokens.digest(token);
                        } else {
                            digest = randomDigest();
                        }
                        ps.setLong(p++, userIds[i % userIds.length]);
                        ps.setString(p++, digest);
                        ps.setString(p++, randomDigest());
                        ps.setObject(p++, expires);
                        ps.setObject(p++, expires);
                        ps.setObject(p++, absolute);
                        ps.setObject(p++, at);
                        ps.setString(p++, "bench/1.0");
                        ps.setString(p++, "127.0.0.1");
                        ps.setObject(p++, at);
                        ps.setObject(p++, at);
                    }
                    ps.executeUpdate();
                }
                if ((start + rows) % ROWS_PER_TRANSACTION == 0) {
                    c.commit();
                }
            }
        }
        Collections.shuffle(hotTokens, new java.util.Random(11));
        return hotTokens;
    }

    private static String insertSql(int rows) {
        String one = "(" + "?, ".repeat(SESSION_PARAMS - 1) + "?)";
        return "insert into sessions (" + SESSION_COLUMNS + ") values " + String.join(", ", Collections.nCopies(rows, one));
    }

    private String randomDigest() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
