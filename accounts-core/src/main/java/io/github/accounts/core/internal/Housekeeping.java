package io.github.accounts.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * The purge of expired rows: each feature's purge, called in batches until none deletes anything, then a step after
 * (the metrics' session count); on a daemon thread of its own every {@code every} after the last one ended, when
 * {@code every} is given. A failed purge (the database away, say) is one WARN and is tried again next time. Running it
 * on every instance is safe: it deletes in short batches. Thread-safe; {@link #close} stops it and waits for a purge
 * under way.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
    private static final int BATCH = 1_000;

    private final List<IntUnaryOperator> purges;
    private final Runnable afterwards;
    private final ScheduledExecutorService timer;

    /**
     * {@code purges} each delete up to the batch they are given and return how many went; {@code every} null leaves
     * the purge to the host's calls of {@link #purgeExpired}.
     */
    public Housekeeping(List<IntUnaryOperator> purges, Runnable afterwards, Duration every) {
        this.purges = List.copyOf(purges);
        this.afterwards = afterwards;
        if (every == null) {
            this.timer = null;
            return;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "accounts-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long millis = every.toMillis();
        timer.scheduleWithFixedDelay(() -> run(every), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs every purge in batches until none finds more; returns how many rows went. */
    public int purgeExpired() {
        int total = 0;
        int n;
        do {
            n = 0;
            for (IntUnaryOperator purge : purges) {
                n += purge.applyAsInt(BATCH);
            }
            total += n;
        } while (n > 0);
        afterwards.run();
        return total;
    }

    private void run(Duration every) {
        try {
            int removed = purgeExpired();
            if (removed > 0) {
                log.info("Purged {} expired session(s), token(s) and throttle entries", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Purging expired rows failed; trying again in {}: {}", every, e.toString());
        }
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
