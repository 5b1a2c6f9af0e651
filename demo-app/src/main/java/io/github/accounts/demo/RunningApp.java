package io.github.accounts.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * A demo-app being started or running: what it holds, released in the reverse of the order it was acquired. Since
 * the web server is acquired last, {@link #close} first stops it (no new connections; requests in flight finish),
 * then the purge schedule, accounts, JPA and finally the pool. Thread-safe; {@code close} is idempotent, so a test
 * and the shutdown hook may both call it.
 */
final class RunningApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunningApp.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int port = -1;
    private volatile int managementPort = -1;
    private boolean closing;

    /** Holds {@code resource} until {@link #close}; returns it, for wiring in one expression. */
    synchronized <T extends AutoCloseable> T hold(T resource) {
        if (closing) {
            throw new IllegalStateException("This app is closing; nothing more can be added to it");
        }
        resources.push(resource);
        return resource;
    }

    /** Records the port the web server ended up on, once it listens. */
    void listening(int actualPort) {
        this.port = actualPort;
    }

    /** Records the port of the management listener, once it listens. */
    void managing(int actualPort) {
        this.managementPort = actualPort;
    }

    /** The port of the management listener ({@code MANAGEMENT_PORT}), if there is one. */
    OptionalInt managementPort() {
        return managementPort < 0 ? OptionalInt.empty() : OptionalInt.of(managementPort);
    }

    /** The port the server listens on: the one asked for, or the free one picked for port 0. */
    int port() {
        if (port < 0) {
            throw new IllegalStateException("The web server has not started");
        }
        return port;
    }

    /** Blocks until {@link #close} has released everything. */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        boolean served = port >= 0;
        if (served) {
            log.info("Stopping: no new connections, finishing the requests in flight, then closing the pool");
        }
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Could not close {}: {}", resource, e.toString());
            }
        }
        if (served) {
            log.info("Stopped");
        }
        closed.countDown();
    }
}
