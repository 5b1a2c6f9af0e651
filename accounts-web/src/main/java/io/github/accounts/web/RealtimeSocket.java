package io.github.accounts.web;

import io.github.accounts.core.Authenticated;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One open socket: who it is authenticated as (null until then), when the client was last heard, and its send
 * queue, bounded: a client that lets more than {@code maxPending} messages wait is closed rather than buffered for
 * without limit. Thread-safe.
 */
final class RealtimeSocket {
    /** How long a closing socket may take to flush its close frame before it is cut. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;

    final Session session;
    /** The client's address, as {@link ClientAddress} resolves it: what the unauthenticated sockets are bounded by. */
    final String address;
    /** Its place in the {@link RealtimeBudget}; guarded by the budget's lock. */
    RealtimeBudget.Slot slot = RealtimeBudget.Slot.NONE;
    private final int maxPending;
    private final ScheduledExecutorService timer;
    private final Consumer<Session> forget;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Whether the authenticate message or the auth timeout came first; set once, by whichever it was. */
    private final AtomicBoolean authDecided = new AtomicBoolean();
    private final WriteCallback written = new WriteCallback() {
        @Override
        public void writeFailed(Throwable x) {
            pending.decrementAndGet();
        }

        @Override
        public void writeSuccess() {
            pending.decrementAndGet();
        }
    };
    volatile Authenticated who;
    volatile long lastHeard = System.nanoTime();
    volatile ScheduledFuture<?> authTimeout;

    /** {@code forget}: takes the socket out of the registry as soon as it starts closing. */
    RealtimeSocket(Session session, String address, int maxPending, ScheduledExecutorService timer,
                   Consumer<Session> forget) {
        this.session = session;
        this.address = address;
        this.maxPending = maxPending;
        this.timer = timer;
        this.forget = forget;
    }

    /**
     * True for the first caller only, of an authenticate message and the auth timeout: the other then does nothing,
     * so a message that came in time is answered however long its check takes, and a late one finds the socket
     * closing.
     */
    boolean decideAuthentication() {
        return authDecided.compareAndSet(false, true);
    }

    void heard() {
        lastHeard = System.nanoTime();
    }

    /** Queues a text message; past the bound the socket is closed as a slow consumer (1013). */
    void send(String text) {
        if (closing.get()) {
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            close(1013, "Too slow: messages were waiting unread");
            return;
        }
        synchronized (this) {
            session.getRemote().sendString(text, written);
        }
    }

    /**
     * Runs {@code list}, which lists the socket for deliveries, and if it did, queues {@code first}; a delivery that
     * finds the socket listed meanwhile waits for this socket's lock, so {@code first} goes ahead of it. Whether it
     * was listed.
     */
    boolean listThenSend(BooleanSupplier list, String first) {
        synchronized (this) {
            if (!list.getAsBoolean()) {
                return false;
            }
            send(first);
            return true;
        }
    }

    void ping() {
        if (!closing.get()) {
            try {
                synchronized (this) {
                    session.getRemote().sendPing(ByteBuffer.allocate(0));
                }
            } catch (IOException e) {
                close(1001, "The connection failed");
            }
        }
    }

    /**
     * Closes once with {@code code}; a socket that has not closed after a short grace is cut (a slow consumer's
     * close frame waits behind its backlog). It leaves the registry at once, so nothing more is queued for it.
     */
    void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        forget.accept(session);
        synchronized (this) {
            session.close(code, reason);
        }
        try {
            timer.schedule(this::cut, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the server stops and takes the connection with it
        }
    }

    private void cut() {
        if (session.isOpen()) {
            try {
                session.disconnect();
            } catch (IOException e) {
                // gone already
            }
        }
    }
}
