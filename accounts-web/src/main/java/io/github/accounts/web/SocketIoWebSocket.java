package io.github.accounts.web;

import io.socket.engineio.server.EngineIoWebSocket;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Jetty WebSocket as engine.io's WebSocket transport sees it. Unlike engine.io-server-jetty's handler (whose
 * writes block the sending thread until the client reads), writes here are queued without blocking and bounded: a
 * client that lets more than {@code maxPending} frames wait is cut, so a slow client never holds up the delivery
 * thread. Thread-safe.
 */
final class SocketIoWebSocket extends EngineIoWebSocket {
    private final Session session;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
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

    SocketIoWebSocket(Session session, Map<String, String> query, int maxPending) {
        this.session = session;
        this.query = query;
        this.headers = session.getUpgradeRequest().getHeaders();
        this.maxPending = maxPending;
    }

    @Override
    public Map<String, String> getQuery() {
        return query;
    }

    @Override
    public Map<String, List<String>> getConnectionHeaders() {
        return headers;
    }

    @Override
    public void write(String message) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            cut();
            return;
        }
        synchronized (this) {
            session.getRemote().sendString(message, written);
        }
    }

    @Override
    public void write(byte[] message) {
        cut(); // the channel sends text only
    }

    @Override
    public void close() {
        session.close();
    }

    /** Cuts the connection at once: a close frame would wait behind the backlog. */
    private void cut() {
        try {
            session.disconnect();
        } catch (IOException e) {
            // gone already
        }
    }
}
