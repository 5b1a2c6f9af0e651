package io.github.accounts.bench;

import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.password.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Warm Argon2id hash and verify through {@link PasswordHasher} at the shipped parameters
 * ({@link HashingParams#owaspDefaults()}: m=19456 KiB, t=2, p=1, one hashing thread per core), so the bulkhead's
 * hand-off is included. Run with {@code -t 2} (as many threads as cores) for the machine's hashing ceiling,
 * which is what sign-in throughput is compared with. The warm-up is long for a JMH default because C2 takes
 * some 30-40 hashes (10-20 s on two busy cores) to compile Argon2's compression function; before that a hash
 * costs about five times as much.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class HashingBenchmark {
    static final String PASSWORD = "correct horse battery staple";

    private PasswordHasher hasher;
    private String digest;

    @Setup
    public void setUp() {
        hasher = new PasswordHasher(HashingParams.owaspDefaults());
        digest = hasher.hash(PASSWORD);
    }

    @TearDown
    public void tearDown() {
        hasher.close();
    }

    /** Hashing a new password, as sign-up, password change and reset do. */
    @Benchmark
    public String hash() {
        return hasher.hash(PASSWORD);
    }

    /** Checking a password against its digest, as every sign-in does. */
    @Benchmark
    public boolean verify() {
        return hasher.verify(PASSWORD, digest).matches();
    }
}
