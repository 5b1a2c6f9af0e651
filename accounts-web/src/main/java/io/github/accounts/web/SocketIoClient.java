package io.github.accounts.web;

import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.parser.Packet;
import io.socket.socketio.server.SocketIoSocket;
import org.json.JSONObject;

import java.util.Collection;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One Socket.IO connection: its engine.io connection, what its handshake's cookie proved, and, once its
 * {@code CONNECT} was let in, its socket of the default namespace. Messages waiting in the engine for a poll are
 * bounded like the WebSocket's. Thread-safe.
 */
final class SocketIoClient extends RealtimeClient {
    final EngineIoSocket connection;
    /** The handshake's cookie: an {@code Authenticated}, {@link RealtimeSockets#REFUSED}, or null for none. */
    final Object cookie;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean ending = new AtomicBoolean();
    /** Sent after the goodbye (a DISCONNECT or connect_error): the connection closes once the engine wrote it. */
    private final Packet<?> last = new Packet<>(Packet.NOOP);
    private final AtomicBoolean lastWritten = new AtomicBoolean();
    volatile SocketIoSocket socket;
    volatile ScheduledFuture<?> authTimeout;

    SocketIoClient(EngineIoSocket connection, String address, Object cookie, int maxPending) {
        super(address);
        this.connection = connection;
        this.cookie = cookie;
        this.maxPending = maxPending;
    }

    /** The engine hands these packets to a poll or the WebSocket (which bounds its own writes): its "flush". */
    void flushing(Collection<?> packets) {
        pending.set(0);
        if (ending.get() && packets.stream().anyMatch(packet -> packet == last)) {
            lastWritten.set(true);
        }
    }

    /** The engine wrote what it flushed (its "drain"): after the goodbye, the connection closes. */
    void drained() {
        if (lastWritten.getAndSet(false)) {
            connection.close();
        }
    }

    @Override
    void push(RealtimePush push) {
        SocketIoSocket here = socket;
        if (here == null || ending.get()) {
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            end(Ending.TOO_SLOW);
            return;
        }
        synchronized (this) {
            here.send(push.name, push.argument());
        }
    }

    @Override
    boolean listThenReady(BooleanSupplier list) {
        synchronized (this) {
            if (!list.getAsBoolean()) {
                return false;
            }
            socket.send("ready", new JSONObject().put("session_id", who.sessionId()).put("user_id", who.userId()));
            return true;
        }
    }

    /**
     * A server-side disconnect (the client does not reconnect by itself); a client too slow to read is cut instead.
     */
    @Override
    void end(Ending why) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        SocketIoSocket here = socket;
        if (here == null || why == Ending.TOO_SLOW) {
            connection.close();
            return;
        }
        synchronized (this) {
            // Not disconnect(true): while the namespace is still adding the socket, its client does not list it yet
            // and would close the connection without the DISCONNECT, and the client would reconnect.
            here.disconnect(false);
            closeOnceWritten();
        }
    }

    /** Refuses the {@code CONNECT}: a {@code connect_error} with {@code data.code}, then the connection closes. */
    void refuse(String code, String message) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        JSONObject error = new JSONObject().put("message", message).put("data", new JSONObject().put("code", code));
        connection.send(new Packet<>(Packet.MESSAGE, "4" + error));
        closeOnceWritten();
    }

    /**
     * Closes the connection once what was sent before is written: at once when a poll or the WebSocket took it, else
     * at the next poll or when the upgrade to WebSocket completes. Closing before that would lose it when the client
     * is upgrading (the engine refuses an upgrade once closing, and the client, which paused polling for it, never
     * reads the poll's queue). A client that neither polls nor upgrades is closed by the engine's heartbeat.
     */
    private void closeOnceWritten() {
        connection.send(last);
    }

    @Override
    boolean isOpen() {
        return !ending.get() && connection.getReadyState() == io.socket.engineio.server.ReadyState.OPEN;
    }
}
