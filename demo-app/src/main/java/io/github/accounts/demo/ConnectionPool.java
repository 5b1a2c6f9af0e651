package io.github.accounts.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import java.time.Duration;

/**
 * demo-app's database set-up: the connection pool, and how a failure to reach the database reads. Stateless.
 */
final class ConnectionPool {
    /** A dead database costs a request this long before it is answered 503. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** No query of accounts runs longer; a silent network partition is given up on after this. */
    static final Duration QUERY_SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private ConnectionPool() {
    }

    /**
     * The connection pool. Its size (default 2 per core + 1, HikariCP's rule of thumb) stays small because requests
     * hold a connection only for short transactions: password hashing, the slow part, runs outside them. It gives
     * up on a connection after {@link #CONNECTION_TIMEOUT}, so a dead database turns into quick 503s rather than a
     * pile-up of waiting requests.
     */
    static HikariDataSource open(DatabaseUrl database, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("accounts");
        config.setJdbcUrl(database.jdbcUrl());
        if (!database.user().isEmpty()) {
            config.setUsername(database.user());
        }
        if (!database.password().isEmpty()) {
            config.setPassword(database.password());
        }
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(1_000);
        if (database.jdbcUrl().startsWith("jdbc:postgresql:")) {
            // A database host that vanishes mid-query (no RST) must not hang a request thread forever.
            config.addDataSourceProperty("socketTimeout", QUERY_SOCKET_TIMEOUT.toSeconds());
            config.addDataSourceProperty("tcpKeepAlive", true);
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw unreachable(database, e);
        }
    }

    /** The failure for a database that did not answer; the driver's message never holds the password. */
    static Failure unreachable(DatabaseUrl where, Exception e) {
        return Failure.runtime("Cannot reach the database (" + where + "): " + firstLine(e));
    }

    /** The deepest cause's message, on one line: what went wrong, without the wrapping layers. */
    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip().lines().findFirst().orElse("");
    }
}
