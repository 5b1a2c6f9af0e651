package io.github.accounts.bench;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.SignedIn;
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
 * {@code Accounts.signIn} in process at the shipped Argon2id parameters: the throttle checks, the user lookup, one
 * verification and the new session. Next to {@link HashingBenchmark#verify} in the same units it shows what a
 * sign-in costs beyond its hash, without HTTP. Same long warm-up as the hashing benchmarks, for the same reason.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class SignInBenchmark {
    static {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private static final String EMAIL = "sign-in@example.com";
    // Not HashingBenchmark's: the password policy refuses "correct horse battery staple" as too common.
    private static final String PASSWORD = "quartz-lantern-meadow-orbit-77";

    @Param({"H2"})
    public TestDatabase database;

    private BenchAccounts bench;

    @Setup(Level.Trial)
    public void setUp() {
        bench = new BenchAccounts(database.freshMigratedDataSource(), AccountsConfig.originalDesign());
        bench.accounts.signIns().signUp(new NewUser(EMAIL, "Bench", "Runner", PASSWORD), ClientInfo.unknown());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public SignedIn signIn() {
        return bench.accounts.signIns().signIn(EMAIL, PASSWORD, ClientInfo.unknown());
    }
}
