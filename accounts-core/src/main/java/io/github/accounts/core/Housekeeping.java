package io.github.accounts.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The purge of expired rows on a daemon thread of its own, every {@code every} after the last one ended. A failed
 * purge (the database away, say) is one WARN and is tried again next time. Running it on every instance is safe:
 * it deletes in short batches. Thread-safe; {@link #close} stops it and waits for a purge under way.
 */
final class Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "accounts-housekeeping");
        t.setDaemon(true);
        return t;
    });

    Housekeeping(IntSupplier purge, Duration every) {
        long millis = every.toMillis();
        timer.scheduleWithFixedDelay(() -> run(purge, every), millis, millis, TimeUnit.MILLISECONDS);
    }

    private static void run(IntSupplier purge, Duration every) {
        try {
            int removed = purge.getAsInt();
            if (removed > 0) {
                log.info("Purged {} expired session(s), token(s) and throttle entries", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Purging expired rows failed; trying again in {}: {}", every, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
