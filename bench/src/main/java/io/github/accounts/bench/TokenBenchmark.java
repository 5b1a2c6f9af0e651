package io.github.accounts.bench;

import io.github.accounts.core.internal.Tokens;
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
 * What a token costs: 32 bytes from the CSPRNG as base64url, and the SHA-256 digest that the tables store. Every
 * authenticated request pays one digest; every sign-in and refresh pays two generations and two digests.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TokenBenchmark {
    private final Tokens tokens = new Tokens();
    private final String token = tokens.generate();

    @Benchmark
    public String generate() {
        return tokens.generate();
    }

    @Benchmark
    public String digest() {
        return Tokens.digest(token);
    }

    @Benchmark
    public String generateAndDigest() {
        return Tokens.digest(tokens.generate());
    }
}
