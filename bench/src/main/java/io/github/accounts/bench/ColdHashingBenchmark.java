package io.github.accounts.bench;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.github.accounts.core.HashingParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The first Argon2id hash and the first verification in a fresh JVM, before the JIT has compiled Argon2: what
 * the first sign-in after a deploy pays if the hasher's background warm-up has not run yet. One single-shot
 * measurement per fork, several forks. Calls password4j directly with the function {@code PasswordHasher}
 * builds, because constructing a {@code PasswordHasher} starts a hash of its own in the background, which would
 * share (and warm) the code being measured.
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

    private final Argon2Function function = function(HashingParams.owaspDefaults());

    static Argon2Function function(HashingParams p) {
        return Argon2Function.getInstance(p.memoryKib(), p.iterations(), p.parallelism(), 32, Argon2.ID);
    }

    /** The first hash in this JVM. */
    @Benchmark
    public String firstHash() {
        return Password.hash(HashingBenchmark.PASSWORD).addRandomSalt(16).with(function).getResult();
    }

    /** The first verification in this JVM. */
    @Benchmark
    public boolean firstVerify() {
        return Password.check(HashingBenchmark.PASSWORD, DIGEST).with(Argon2Function.getInstanceFromHash(DIGEST));
    }
}
