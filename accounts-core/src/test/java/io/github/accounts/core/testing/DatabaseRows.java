package io.github.accounts.core.testing;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads accounts' tables back with plain JDBC, behind the service's back, to check what is really stored (and
 * writes rows in bulk where a test needs volume). Values come back as strings, column names in lower case.
 */
public final class DatabaseRows {
    /** Every table the shipped changelog creates. */
    public static final List<String> TABLES = List.of("users", "sessions", "one_time_tokens", "sign_in_throttle",
            "rotated_update_tokens", "account_events", "passkey_credentials", "passkey_ceremonies", "mfa_totp",
            "mfa_recovery_codes", "mfa_challenges", "mail_budget", "sign_in_notices", "session_proofs", "webhooks",
            "webhook_deliveries", "user_identities", "federation_flows", "federation_links", "email_sign_ins");

    private static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");

    private DatabaseRows() {
    }

    /**
     * Writes {@code count} {@code user.updated} events of {@code userId} straight into {@code account_events}, in
     * batches: the volume an export test or a heap measurement needs, far faster than causing each one.
     */
    public static void insertEvents(DataSource ds, long userId, int count) {
        insertEvents(ds, userId, count, "user.updated");
    }

    /** The same with events of {@code type}. */
    public static void insertEvents(DataSource ds, long userId, int count, String type) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into account_events (user_id, type, occurred_at, ip, user_agent, detail)"
                        + " values (?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
            for (int i = 0; i < count; i++) {
                ps.setLong(1, userId);
                ps.setString(2, type);
                ps.setObject(3, at);
                ps.setString(4, "192.0.2.1");
                ps.setString(5, "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0 #" + i);
                ps.setString(6, "{\"n\":" + i + "}");
                ps.addBatch();
                if (i % 5_000 == 4_999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write " + count + " events", e);
        }
    }

    /**
     * How many rows H2 reads for {@code sql}, {@code params} bound in order: the largest {@code scanCount} of its
     * {@code EXPLAIN ANALYZE}. For tests that a query walks its index rather than everything of an account. H2 only.
     */
    public static long rowsRead(DataSource ds, String sql, Object... params) {
        String plan = query(ds, "explain analyze " + sql, params).get(0).values().iterator().next();
        Matcher counts = SCAN_COUNT.matcher(plan);
        long most = -1;
        while (counts.find()) {
            most = Math.max(most, Long.parseLong(counts.group(1)));
        }
        if (most < 0) {
            throw new IllegalStateException("No scanCount in the plan: " + plan);
        }
        return most;
    }

    /** The rows {@code sql} selects, with {@code params} bound in order. */
    public static List<Map<String, String>> query(DataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, String>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int col = 1; col <= meta.getColumnCount(); col++) {
                        row.put(meta.getColumnLabel(col).toLowerCase(Locale.ROOT), rs.getString(col));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }

    /** The one row {@code sql} selects; fails the test if there is not exactly one. */
    public static Map<String, String> one(DataSource ds, String sql, Object... params) {
        List<Map<String, String>> rows = query(ds, sql, params);
        if (rows.size() != 1) {
            throw new AssertionError("Expected one row from " + sql + ", got " + rows);
        }
        return rows.get(0);
    }

    /** The timestamp in the first column of the one row {@code sql} selects, or null when it is NULL. */
    public static Instant instant(DataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("No row from " + sql);
                }
                OffsetDateTime value = rs.getObject(1, OffsetDateTime.class);
                return value == null ? null : value.toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }

    /** Runs an INSERT, UPDATE or DELETE; returns how many rows it changed. */
    public static int update(DataSource ds, String sql, Object... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run " + sql, e);
        }
    }

    /** Every value of every column of every accounts table, for "is this secret stored anywhere?" checks. */
    public static List<String> everyStoredValue(DataSource ds) {
        List<String> values = new ArrayList<>();
        for (String table : TABLES) {
            for (Map<String, String> row : query(ds, "select * from " + table)) {
                row.values().stream().filter(v -> v != null).forEach(values::add);
            }
        }
        return values;
    }

    /**
     * SHA-256 of a string, base64url without padding, computed here independently of the main code, so a test
     * can tell which token a stored digest belongs to.
     */
    public static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
