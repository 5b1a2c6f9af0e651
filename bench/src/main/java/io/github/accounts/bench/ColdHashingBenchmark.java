package io.github.accounts.bench;

import io.github.accounts.core.HashingParams;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The first Argon2id hash and the first verification in a fresh JVM, before the JIT has compiled Argon2: what
 * the first sign-in after a deploy pays if the hasher's background warm-up has not run yet. One single-shot
 * measurement per fork, several forks. Calls Bouncy Castle's generator directly, as {@code PasswordHasher}
 * does, because constructing a {@code PasswordHasher} starts a hash of its own in the background, which would
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
    private static final byte[] SALT = Base64.getDecoder().decode(DIGEST.split("\\$")[4]);
    private static final byte[] HASH = Base64.getDecoder().decode(DIGEST.split("\\$")[5]);

    /** The first hash in this JVM. */
    @Benchmark
    public byte[] firstHash() {
        return argon2id(HashingBenchmark.PASSWORD, SALT);
    }

    /** The first verification in this JVM. */
    @Benchmark
    public boolean firstVerify() {
        return MessageDigest.isEqual(HASH, argon2id(HashingBenchmark.PASSWORD, SALT));
    }

    private static byte[] argon2id(String password, byte[] salt) {
        HashingParams p = HashingParams.owaspDefaults();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKib()).withIterations(p.iterations()).withParallelism(p.parallelism())
                .withSalt(salt).build());
        byte[] out = new byte[32];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
