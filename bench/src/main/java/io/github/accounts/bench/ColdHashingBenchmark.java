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
 * The first Argon2id hash and the first verification in a fresh JVM, before the JIT has compiled Argon2: what
 * the first sign-in after a deploy pays if the host has not called {@code Accounts.warmUpInBackground()}. One
 * single-shot measurement per fork, several forks. A {@code PasswordHasher} hashes nothing until asked, so
 * setting one up warms nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class ColdHashingBenchmark {
    /** A digest of {@link HashingBenchmark#PASSWORD} at m=19456, t=2, p=1, made ahead so setting up warms nothing. */
    static final String DIGEST = "$argon2id$v=19$m=19456,t=2,p=1$Xf0lzgc2r6u9oDDIi3yqSQ$"
            + "bWmTiPW5dec/dsEFa1XlgZgttPohVWKEu7cyfl4+qqQ";

    private PasswordHasher hasher;

    @Setup
    public void setUp() {
        hasher = new PasswordHasher(HashingParams.owaspDefaults());
    }

    @TearDown
    public void tearDown() {
        hasher.close();
    }

    /** The first hash in this JVM. */
    @Benchmark
    public String firstHash() {
        return hasher.hash(HashingBenchmark.PASSWORD);
    }

    /** The first verification in this JVM. */
    @Benchmark
    public boolean firstVerify() {
        return hasher.verify(HashingBenchmark.PASSWORD, DIGEST).matches();
    }
}
