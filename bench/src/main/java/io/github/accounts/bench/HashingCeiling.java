package io.github.accounts.bench;

import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.password.PasswordHasher;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hashing ceiling for {@code bench/run}: Argon2id verifications per second at the shipped parameters with
 * {@code threads} callers, as {@link HashingBenchmark#verify} with {@code -t threads} measures it, plus the CPU time
 * the process spent per verification, which other load on the machine disturbs far less than a rate. Prints
 * {@code verifications/s cpu-ms/verification} on one line.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.github.accounts.bench.HashingCeiling [threads] [warm-up s] [s]}
 */
public final class HashingCeiling {
    private HashingCeiling() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int warmUpSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        try (PasswordHasher hasher = new PasswordHasher(HashingParams.owaspDefaults())) {
            String digest = hasher.hash(HashingBenchmark.PASSWORD);
            warmUp(hasher, digest, threads, warmUpSeconds);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long done = run(hasher, digest, threads, seconds);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
            System.out.printf("%.2f %.1f%n", done / elapsed, cpuMs / done);
        }
    }

    /**
     * At least {@code seconds} of verifications, and then on until C2 has compiled Argon2: until 60 have run and the
     * last 3-second slice was no faster than the one before (within 10 %), at most two minutes. On a busy machine
     * a fixed warm-up can end while a verification still costs its interpreted ~350 ms.
     */
    private static void warmUp(PasswordHasher hasher, String digest, int threads, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        long total = run(hasher, digest, threads, seconds);
        double previous = 0;
        while (System.nanoTime() < deadline) {
            long slice = run(hasher, digest, threads, 3);
            total += slice;
            if (total >= 60 && previous > 0 && slice <= previous * 1.1) {
                return;
            }
            previous = slice;
        }
    }

    private static long run(PasswordHasher hasher, String digest, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    if (hasher.verify(HashingBenchmark.PASSWORD, digest).matches()) {
                        done.incrementAndGet();
                    }
                }
            });
            t.start();
            callers.add(t);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : callers) {
            t.join();
        }
        return done.get();
    }
}
