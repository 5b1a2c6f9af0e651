package io.github.accounts.core.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands committed events to the listeners on one daemon thread behind a bounded queue. A full queue drops the
 * event (counted, with a WARN at the first drop and every thousandth after) rather than block the request that
 * committed it. Without listeners nothing is queued and no thread starts. Thread-safe.
 */
final class EventDispatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventDispatch.class);

    private final List<AccountEventListener> listeners;
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();

    EventDispatch(List<AccountEventListener> listeners, int queueCapacity) {
        this.listeners = List.copyOf(listeners);
        this.executor = this.listeners.isEmpty() ? null : new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), r -> {
                    Thread t = new Thread(r, "accounts-events");
                    t.setDaemon(true);
                    return t;
                });
    }

    void publish(AccountEvent event) {
        if (executor == null) {
            return;
        }
        try {
            executor.execute(() -> tell(event));
        } catch (RejectedExecutionException full) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("Event listeners are behind: {} event(s) dropped so far, the latest {} #{}", n, event.type(),
                        event.id());
            }
        }
    }

    private void tell(AccountEvent event) {
        for (AccountEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.warn("Event listener {} failed on {} #{}", listener, event.type(), event.id(), e);
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
