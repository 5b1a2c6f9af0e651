package io.github.accounts.bench;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
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

import java.util.concurrent.TimeUnit;

/**
 * {@code Accounts.refresh} in process, one chain on one thread: each call presents the update token the previous
 * call returned. Its rate is the in-process ceiling of refreshes per second per core that {@code bench/run}
 * compares the HTTP route with.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class RefreshBenchmark {
    static {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    @Param({"H2", "POSTGRES"})
    public TestDatabase database;

    private BenchAccounts bench;
    private String updateToken;

    @Setup(Level.Trial)
    public void setUp() {
        bench = new BenchAccounts(database.freshMigratedDataSource(),
                AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING));
        updateToken = bench.accounts.signIns().signUp(new NewUser("refresh@example.com", "Bench", "Runner",
                "quartz-lantern-meadow-orbit"), ClientInfo.unknown()).session().updateToken();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public IssuedSession refresh() {
        IssuedSession next = bench.accounts.sessions().refresh(updateToken);
        updateToken = next.updateToken();
        return next;
    }
}
