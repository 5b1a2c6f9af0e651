package io.github.accounts.core.password;

import io.github.accounts.core.config.HashingParams;

import java.util.Arrays;

/**
 * Prints what one Argon2id hash costs at OWASP's parameters (m=19456 KiB, t=2, p=1) on this machine: each of the
 * first 30 hashes of a fresh JVM (the JIT is still compiling), then a warm average. A measurement, not a test:
 * run it by hand, e.g. {@code java -cp <test classpath> io.github.accounts.core.password.HashingMeasurement}.
 */
public final class HashingMeasurement {
    private static final int COLD = 30;
    private static final int WARM_UP = 100;
    private static final int WARM = 30;

    private HashingMeasurement() {
    }

    public static void main(String[] args) {
        HashingParams owasp = new HashingParams(19_456, 2, 1, 1, 0);
        try (PasswordHasher hasher = new PasswordHasher(owasp)) {
            hasher.verifyAgainstNobody("wait for the dummy digest, so it is not timed");
            double[] cold = time(hasher, COLD);
            System.out.printf("Argon2id m=%d t=%d p=%d, %d cores%n", owasp.memoryKib(), owasp.iterations(),
                    owasp.parallelism(), Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < cold.length; i++) {
                System.out.printf("hash %2d: %6.1f ms%n", i + 1, cold[i]);
            }
            System.out.printf("first %d: mean %.1f ms, median %.1f ms%n", COLD, mean(cold), median(cold));
            time(hasher, WARM_UP);
            double[] warm = time(hasher, WARM);
            System.out.printf("warm (after %d more): mean %.1f ms, median %.1f ms, min %.1f ms over %d hashes%n",
                    WARM_UP, mean(warm), median(warm), Arrays.stream(warm).min().orElse(0), WARM);
        }
    }

    private static double[] time(PasswordHasher hasher, int count) {
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            hasher.hash("measure-" + i);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
