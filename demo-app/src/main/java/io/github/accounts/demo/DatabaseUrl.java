package io.github.accounts.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where the database is: a JDBC URL plus the user and password taken out of a {@code postgresql://} URL.
 * {@link #toString()} is {@link #description()}, which never holds a password, so the value is safe to log.
 * Immutable.
 *
 * @param jdbcUrl     what the driver gets (for a {@code jdbc:} URL, exactly what was given)
 * @param user        from a {@code postgresql://user:password@...} URL; empty for {@code jdbc:} URLs
 * @param password    likewise
 * @param kind        {@code PostgreSQL} or {@code H2}
 * @param description the kind and where it is, e.g. {@code PostgreSQL at db.example.com:5432/accounts}
 */
record DatabaseUrl(String jdbcUrl, String user, String password, String kind, String description) {
    static final String EXAMPLE = "postgresql://user:password@host:5432/accounts";

    DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "null jdbcUrl");
        Objects.requireNonNull(user, "null user");
        Objects.requireNonNull(password, "null password");
        Objects.requireNonNull(kind, "null kind");
        Objects.requireNonNull(description, "null description");
    }

    /**
     * Reads {@code postgresql://user:password@host:port/db} (or {@code postgres://}, query parameters passed on
     * to the driver) and {@code jdbc:postgresql:} or {@code jdbc:h2:} URLs. Messages never repeat the URL, which
     * may hold a password.
     */
    static DatabaseUrl parse(String url) {
        String value = Objects.requireNonNull(url, "null url").strip();
        if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
            return fromPostgresUrl(value);
        }
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(value, "", "", "PostgreSQL", "PostgreSQL at " + postgresLocation(value));
        }
        if (value.startsWith("jdbc:h2:")) {
            return new DatabaseUrl(value, "", "", "H2", h2Description(value));
        }
        if (value.startsWith("jdbc:")) {
            String vendor = value.substring(5).split(":", 2)[0];
            throw Failure.usage("DATABASE_URL names a '" + vendor + "' database; demo-app speaks PostgreSQL and H2");
        }
        throw Failure.usage("DATABASE_URL must look like " + EXAMPLE + " or start with jdbc:postgresql: or jdbc:h2:");
    }

    /** An H2 database in this process's memory, gone when the process ends. */
    static DatabaseUrl h2InMemory(String name) {
        return parse("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    /**
     * An H2 database in a file; closed by our shutdown hook after the last request, not by H2's own (which could
     * run while requests are still in flight).
     */
    static DatabaseUrl h2File(String path) {
        return parse("jdbc:h2:file:" + path + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    @Override
    public String toString() {
        return description;
    }

    private static DatabaseUrl fromPostgresUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw Failure.usage("DATABASE_URL is not a valid URL (percent-encode special characters in the password), "
                    + "expected " + EXAMPLE);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Failure.usage("DATABASE_URL names no host, expected " + EXAMPLE);
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isEmpty()) {
            throw Failure.usage("DATABASE_URL names no database, expected " + EXAMPLE);
        }
        String location = uri.getHost() + ":" + (uri.getPort() == -1 ? 5432 : uri.getPort()) + "/" + database;
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String user = "";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        return new DatabaseUrl("jdbc:postgresql://" + location + query, user, password, "PostgreSQL",
                "PostgreSQL at " + location);
    }

    /** {@code host:port/db} of a {@code jdbc:postgresql:} URL, without the query (which may hold a password). */
    private static String postgresLocation(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:postgresql:".length()).split("\\?", 2)[0];
        if (!rest.startsWith("//")) {
            return "localhost:5432/" + rest;
        }
        String hostAndDb = rest.substring(2);
        int at = hostAndDb.lastIndexOf('@');
        return at >= 0 ? hostAndDb.substring(at + 1) : hostAndDb;
    }

    private static String h2Description(String jdbcUrl) {
        String rest = jdbcUrl.substring("jdbc:h2:".length()).split(";", 2)[0];
        if (rest.startsWith("mem:")) {
            return "H2 in memory (" + rest.substring(4) + ")";
        }
        if (rest.startsWith("tcp:") || rest.startsWith("ssl:")) {
            return "H2 server at " + rest.substring(4).replaceFirst("^//", "");
        }
        return "H2 file " + rest.replaceFirst("^file:", "");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
