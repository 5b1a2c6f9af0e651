package io.github.accounts.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code Accounts.authenticate} (digest, one short transaction, a lookup by the unique token-digest index
 * joined to the user) on H2 in memory, H2 in a file and an embedded PostgreSQL 17, with a small and a large
 * session table.
 * Sample-time mode, so JMH prints p50/p99. The presented tokens cycle through {@value #HOT} live sessions spread
 * over the table; those sessions were marked used just before the run, so this is the read path: the
 * {@code last_used_at} write that {@code authenticate} makes at most once a minute per session is not in it.
 * Seeding a million sessions takes a while; {@code -p sessions=1000} skips it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class AuthenticateBenchmark {
    static final int HOT = 1024;

    static {
        // Hibernate logs through JBoss logging; send it to slf4j-simple, which prints warnings only.
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    /** H2 in memory (the demo's testing setting), H2 in a file (its development default), PostgreSQL. */
    @Param({"H2", "H2_FILE", "POSTGRES"})
    public String database;

    @Param({"1000", "1000000"})
    public int sessions;

    private HikariDataSource dataSource;
    private Path directory;
    private EntityManagerFactory emf;
    private Accounts accounts;
    private String[] tokens;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        dataSource = migratedDataSource();
        SessionSeeder seeder = new SessionSeeder(dataSource);
        long start = System.nanoTime();
        List<String> hot = seeder.seed(sessions, Math.min(HOT, sessions), Instant.now());
        settle();
        seeder.touch(hot, Instant.now());
        System.gc(); // the seeding's garbage is not the benchmark's
        System.out.printf("%nseeded %d users and %d sessions on %s in %.1f s%n", SessionSeeder.USERS, sessions,
                database, (System.nanoTime() - start) / 1e9);
        System.out.println("plan of the token lookup:\n" + explain(Tokens.digest(hot.get(0))));
        tokens = hot.toArray(String[]::new);
        emf = Accounts.entityManagerFactory(dataSource, Map.of());
        // Cheap hashing: this benchmark hashes nothing, and the hasher's warm-up must not compete for the CPU.
        accounts = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET)
                .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING))
                .housekeeping(false) // no purge in the middle of a measurement
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        accounts.close();
        emf.close();
        dataSource.close();
        if (directory != null) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private HikariDataSource migratedDataSource() {
        if (!database.equals("H2_FILE")) {
            return TestDatabase.valueOf(database).freshMigratedDataSource();
        }
        try {
            directory = Files.createTempDirectory("accounts-bench-h2");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("accounts").toAbsolutePath()
                + System.getProperty("bench.h2.options", ""));
        config.setMaximumPoolSize(24);
        HikariDataSource ds = new HikariDataSource(config);
        TestDatabase.migrate(ds, Accounts.CHANGELOG);
        return ds;
    }

    @Benchmark
    public Authenticated authenticate() {
        String token = tokens[next];
        next = (next + 1) % tokens.length;
        return accounts.sessions().authenticate(token);
    }

    /**
     * Brings a freshly loaded table to the state a long-lived one is in: statistics gathered, and on PostgreSQL
     * hint bits set and dirty pages written (vacuum, checkpoint), so the measurement does not pay for the bulk load.
     */
    private void settle() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            if (database.equals("POSTGRES")) {
                s.execute("vacuum analyze");
                try {
                    s.execute("checkpoint");
                } catch (SQLException notSuperuser) {
                    System.out.println("no checkpoint (an external server where we are not superuser): " + notSuperuser.getMessage());
                }
            } else {
                s.execute("analyze");
            }
        }
    }

    /** The plan of the statement authenticate issues, with a real digest, as the database explains it. */
    private String explain(String digest) throws SQLException {
        String sql = "explain select s.id, s.expires_at, s.last_used_at, u.id, u.email from sessions s"
                + " join users u on u.id = s.user_id where s.token_digest = '" + digest + "'";
        StringBuilder plan = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                plan.append("  ").append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
