package io.github.accounts.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets {@link AccountsSchema} skip Liquibase on a database it left up to date (issue 33): a SHA-256 digest of a master
 * changelog's bytes and those of every file it includes, stored after a migration in
 * {@code accounts_schema_fingerprints} together with the state of {@code databasechangelog} then (its rows and
 * its last order executed). One query compares the stored value with the digest and that table's state now;
 * equal, nothing can be pending: a changed or added change set changes the digest, a rollback or a migration by
 * another version changes the table's state. Changelogs it cannot follow completely ({@code includeAll},
 * {@code runAlways} or {@code runOnChange} change sets, formats other than XML, a file it cannot read) get no
 * digest, and Liquibase runs as before. Any failure here (no table yet, a host's own Liquibase table names) only
 * means Liquibase runs.
 */
final class SchemaFingerprint {
    private static final Logger log = LoggerFactory.getLogger(SchemaFingerprint.class);
    private static final Pattern INCLUDE = Pattern.compile("<include\\b([^>]*)>");
    private static final Pattern FILE = Pattern.compile("\\bfile\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern RELATIVE = Pattern.compile("\\brelativeToChangelogFile\\s*=\\s*\"true\"");
    private static final Pattern UNFOLLOWED = Pattern.compile("<includeAll\\b|\\brunAlways\\s*=\\s*\"true\"|"
            + "\\brunOnChange\\s*=\\s*\"true\"");
    private static final String STATE = "select f.fingerprint, (select count(*) from databasechangelog),"
            + " (select max(orderexecuted) from databasechangelog) from accounts_schema_fingerprints f"
            + " where f.changelog = ?";

    private SchemaFingerprint() {
    }

    /** The digest of {@code changelog} and the files it includes, or null when it cannot be followed completely. */
    static String digest(ClassLoader loader, String changelog) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return add(loader, changelog, sha256, new HashSet<>()) ? HexFormat.of().formatHex(sha256.digest()) : null;
        } catch (NoSuchAlgorithmException | IOException e) {
            return null;
        }
    }

    private static boolean add(ClassLoader loader, String path, MessageDigest sha256, Set<String> seen)
            throws IOException {
        if (!path.endsWith(".xml") || !seen.add(path)) {
            return path.endsWith(".xml");
        }
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                return false;
            }
            bytes = in.readAllBytes();
        }
        sha256.update(path.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (UNFOLLOWED.matcher(text).find()) {
            return false;
        }
        Matcher include = INCLUDE.matcher(text);
        while (include.find()) {
            Matcher file = FILE.matcher(include.group(1));
            if (!file.find()) {
                return false;
            }
            String included = file.group(1);
            if (RELATIVE.matcher(include.group(1)).find()) {
                int slash = path.lastIndexOf('/');
                included = (slash < 0 ? "" : path.substring(0, slash + 1)) + included;
            }
            if (!add(loader, included.startsWith("/") ? included.substring(1) : included, sha256, seen)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the value stored for {@code changelog} equals {@code digest} with {@code databasechangelog}'s state
     * now: one query, outside any transaction. False on any failure, and then Liquibase runs.
     */
    static boolean matches(Connection connection, String changelog, String digest) {
        if (digest == null) {
            return false;
        }
        try (PreparedStatement state = connection.prepareStatement(STATE)) {
            state.setString(1, changelog);
            try (ResultSet row = state.executeQuery()) {
                return row.next() && row.getString(1).equals(value(digest, row.getLong(2), row.getLong(3)));
            }
        } catch (SQLException e) {
            log.debug("No stored schema fingerprint to compare ({}); running Liquibase", e.getMessage());
            return false;
        }
    }

    /** Stores {@code digest} with {@code databasechangelog}'s state now, after a migration left nothing pending. */
    static void record(Connection connection, String changelog, String digest) {
        if (digest == null) {
            return;
        }
        boolean autoCommit = true;
        try {
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            long rows;
            long last;
            try (PreparedStatement state = connection.prepareStatement(
                    "select count(*), max(orderexecuted) from databasechangelog");
                 ResultSet row = state.executeQuery()) {
                row.next();
                rows = row.getLong(1);
                last = row.getLong(2);
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "delete from accounts_schema_fingerprints where changelog = ?")) {
                delete.setString(1, changelog);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into accounts_schema_fingerprints (changelog, fingerprint) values (?, ?)")) {
                insert.setString(1, changelog);
                insert.setString(2, value(digest, rows, last));
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            // Another process recording at the same moment, or no table (a host's changelog without accounts'):
            // the next start runs Liquibase, as before.
            log.debug("Schema fingerprint not stored ({})", e.getMessage());
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is closed next anyway
            }
        } finally {
            try {
                connection.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // the connection is closed next anyway
            }
        }
    }

    private static String value(String digest, long rows, long lastOrderExecuted) {
        return digest + ":" + rows + ":" + lastOrderExecuted;
    }
}
