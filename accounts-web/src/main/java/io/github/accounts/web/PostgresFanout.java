package io.github.accounts.web;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Fanout} over PostgreSQL's {@code LISTEN}/{@code NOTIFY} on channel {@value #CHANNEL}. Two connections of
 * its own, outside the host's pool, each on a daemon thread: one listens (polled every half second, checked with a
 * {@code select 1} after ten quiet seconds, so an outage is noticed even without an error), one publishes from a
 * bounded queue. A payload whose {@code NOTIFY} fails (the publishing connection died with a database restart, which
 * only its next use shows) is kept and sent again on a new connection, at once and then every second until the
 * database answers; the listener likewise opens its connection again every second. Should the queue ever fill up, a
 * payload is dropped, and once the database answers every instance is told on channel {@value #RESYNC_CHANNEL} to
 * re-check its sockets' sessions, as after an outage. Thread-safe.
 */
final class PostgresFanout implements Fanout {
    static final String CHANNEL = "accounts_realtime";
    static final String RESYNC_CHANNEL = "accounts_realtime_resync";
    private static final Logger log = LoggerFactory.getLogger(PostgresFanout.class);
    private static final int POLL_MILLIS = 500;
    private static final long RETRY_MILLIS = 1_000;
    private static final long CHECK_AFTER_QUIET_MILLIS = 10_000;
    private static final int QUEUE = 10_000;

    private final Callable<Connection> connections;
    private final BlockingQueue<String> outbox = new ArrayBlockingQueue<>(QUEUE);
    /** A payload was dropped: the receivers must re-check what it may have told. */
    private final AtomicBoolean dropped = new AtomicBoolean();
    private volatile boolean closed;
    private Thread listener;
    private Thread publisher;

    PostgresFanout(Callable<Connection> connections) {
        this.connections = connections;
    }

    @Override
    public void publish(String payload) {
        if (!outbox.offer(payload)) {
            dropped.set(true);
            log.warn("Real-time fan-out is behind (its queue of {} is full): a payload was dropped; every instance "
                    + "re-checks its sockets' sessions once the database answers", QUEUE);
        }
    }

    @Override
    public synchronized void start(Receiver receiver) {
        if (listener != null) {
            throw new IllegalStateException("This fan-out has started already");
        }
        listener = daemon("accounts-realtime-listen", () -> listen(receiver));
        publisher = daemon("accounts-realtime-notify", this::publishLoop);
    }

    private void listen(Receiver receiver) {
        boolean first = true;
        while (!closed) {
            try (Connection c = open()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + RESYNC_CHANNEL);
                }
                if (!first) {
                    log.info("Real-time fan-out listens again after an outage");
                    receiver.resumed();
                }
                first = false;
                receive(c, receiver);
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("Real-time fan-out lost its listening connection ({}); retrying every second", e.toString());
                    pause();
                }
            }
        }
    }

    private void receive(Connection c, Receiver receiver) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
            PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                quietSince = System.nanoTime();
                for (PGNotification n : notifications) {
                    if (RESYNC_CHANNEL.equals(n.getName())) {
                        receiver.resumed();
                    } else {
                        receiver.received(n.getParameter());
                    }
                }
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(CHECK_AFTER_QUIET_MILLIS)) {
                try (Statement s = c.createStatement()) {
                    s.execute("select 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    /** Sends each payload once it is queued; one that fails waits for the next connection, never dropped. */
    private void publishLoop() {
        String pending = null;
        boolean failedJustNow = false;
        while (!closed) {
            try (Connection c = open(); PreparedStatement notify = c.prepareStatement("select pg_notify(?, ?)")) {
                while (!closed) {
                    if (dropped.get()) {
                        notify.setString(1, RESYNC_CHANNEL);
                        notify.setString(2, "");
                        notify.execute();
                        dropped.set(false);
                    }
                    if (pending == null) {
                        pending = outbox.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    notify.setString(1, CHANNEL);
                    notify.setString(2, pending);
                    notify.execute();
                    pending = null;
                    failedJustNow = false;
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("Real-time fan-out could not publish ({}); the payload waits for a new connection",
                            e.toString());
                    if (failedJustNow) {
                        pause(); // the database is away, not just the old connection: retry every second
                    }
                    failedJustNow = true;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Connection open() throws SQLException {
        try {
            Connection c = connections.call();
            c.setAutoCommit(true);
            return c;
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("Could not open a connection for the real-time fan-out", e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        closed = true;
        Thread l;
        Thread p;
        synchronized (this) {
            l = listener;
            p = publisher;
        }
        for (Thread t : new Thread[] {l, p}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
