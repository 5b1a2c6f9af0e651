package io.github.accounts.web;

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
final class RealtimeSocket extends RealtimeClient {
    /** How long a closing socket may take to flush its close frame before it is cut. */
    private static final long CLOSE_GRACE_MILLIS = 2_000;

    final Session session;
    private final int maxPending;
    private final ScheduledExecutorService timer;
    private final Consumer<Session> forget;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
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
    volatile long lastHeard = System.nanoTime();
    volatile ScheduledFuture<?> authTimeout;

    /** {@code forget}: takes the socket out of the registry as soon as it starts closing. */
    RealtimeSocket(Session session, String address, int maxPending, ScheduledExecutorService timer,
                   Consumer<Session> forget) {
        super(address);
        this.session = session;
        this.maxPending = maxPending;
        this.timer = timer;
        this.forget = forget;
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

    @Override
    void push(RealtimePush push) {
        send(push.text);
    }

    /** A delivery that finds the socket listed meanwhile waits for this socket's lock, so ready goes ahead of it. */
    @Override
    boolean listThenReady(BooleanSupplier list) {
        synchronized (this) {
            if (!list.getAsBoolean()) {
                return false;
            }
            send("{\"type\":\"ready\",\"session_id\":" + who.sessionId() + ",\"user_id\":" + who.userId() + "}");
            return true;
        }
    }

    @Override
    void end(Ending why) {
        switch (why) {
            case REVOKED -> close(RealtimeSockets.UNAUTHENTICATED, "The session was revoked");
            case SESSION_ENDED -> close(RealtimeSockets.UNAUTHENTICATED, "The session ended");
            case DELETED -> close(RealtimeSockets.FORBIDDEN, "The account was deleted");
            case USER_FULL -> close(1008, "This user has too many sockets open");
            case SERVER_FULL -> close(1013, "This server has too many sockets open");
            case TOO_SLOW -> close(1013, "Too slow: messages were waiting unread");
            case SHUTDOWN -> close(1001, "The server is shutting down");
        }
    }

    @Override
    boolean isOpen() {
        return session.isOpen();
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
