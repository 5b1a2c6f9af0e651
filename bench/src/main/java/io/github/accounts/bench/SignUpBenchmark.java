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
 * {@code Accounts.signUp} in process (H2, shipped Argon2id parameters) with a typical password and with the
 * costliest accepted one found for the strength estimate (issue 13 item 3): 1024 characters of "x1!|7",
 * leet-dense, so nbvcxz reads ~100 leet variants of every substring of its window (a refused password would
 * skip the hash and cost less). Each call signs up a new email; the goal is
 * worst ÷ typical <= 2 (the estimate must not cost an anonymous caller more than about one more hash).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class SignUpBenchmark {
    static {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    /** 30 characters, words and digits: what people choose. */
    private static final String TYPICAL = "quartz-lantern-meadow-orbit-77";
    /** The policy's maximum length of the costliest accepted pattern for nbvcxz found (see the class comment). */
    private static final String WORST = "x1!|7".repeat(205).substring(0, 1024);

    @Param({"H2"})
    public TestDatabase database;

    private BenchAccounts bench;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        bench = new BenchAccounts(database.freshMigratedDataSource(), AccountsConfig.originalDesign());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public SignedIn typical() {
        return signUp(TYPICAL);
    }

    @Benchmark
    public SignedIn worst() {
        return signUp(WORST);
    }

    private SignedIn signUp(String password) {
        return bench.accounts.signIns().signUp(new NewUser("sign-up-" + next++ + "@example.com", "Bench", "Runner", password),
                ClientInfo.unknown());
    }
}
