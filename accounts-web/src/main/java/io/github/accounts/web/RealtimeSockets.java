package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import org.eclipse.jetty.websocket.api.BatchMode;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketConnect;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketFrame;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.api.extensions.Frame;
import org.eclipse.jetty.websocket.servlet.ServletUpgradeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The open WebSockets of {@code {prefix}/events/socket} on one instance and what happens on them: authentication (the
 * upgrade's cookie or a first {@code authenticate} message), the close codes, and pings with an idle cut-off on the
 * channel's timer. Authenticated sockets are delivered to through the one path both protocols share,
 * {@link RealtimeSubscribers}. Thread-safe.
 */
final class RealtimeSockets {
    /** The request attribute the upgrade check leaves: the cookie's {@link Authenticated}, or {@link #REFUSED}. */
    static final String UPGRADE_ATTRIBUTE = RealtimeSockets.class.getName() + ".upgrade";
    /** The request attribute the upgrade check leaves: the client's address, as {@link ClientAddress} resolves it. */
    static final String ADDRESS_ATTRIBUTE = RealtimeSockets.class.getName() + ".address";
    /** The upgrade came with a session cookie that does not work. */
    static final String REFUSED = "refused";
    static final int UNAUTHENTICATED = 4401;
    static final int FORBIDDEN = 4403;
    static final int MAX_FRAME_BYTES = 4096;
    private static final Logger log = LoggerFactory.getLogger(RealtimeSockets.class);

    private final Accounts accounts;
    private final ObjectMapper json;
    private final Realtime.Limits limits;
    private final RealtimeSubscribers subscribers;
    private final Map<Session, RealtimeSocket> all = new ConcurrentHashMap<>();
    private final RealtimeBudget budget;
    private final ScheduledExecutorService timer;
    private final Endpoint endpoint = new Endpoint(this);

    RealtimeSockets(ObjectMapper json, RealtimeSubscribers subscribers) {
        this.accounts = subscribers.accounts();
        this.json = json;
        this.limits = subscribers.limits();
        this.subscribers = subscribers;
        this.budget = subscribers.budget();
        this.timer = subscribers.timer();
        long ping = limits.pingEvery().toMillis();
        timer.scheduleWithFixedDelay(RealtimeSubscribers.guarded(this::pingOrCutOff), ping, ping,
                TimeUnit.MILLISECONDS);
    }

    Endpoint endpoint() {
        return endpoint;
    }

    int count() {
        return all.size();
    }

    /**
     * A new socket takes a place in its budget or is closed at once: authenticated by its cookie among the
     * authenticated ones (1013 when full), otherwise among the unauthenticated ones, which it holds for the auth
     * timeout at most (1008 past the per-address bound, 1013 past the instance's).
     */
    private void opened(Session session) {
        Object upgrade = upgradeAttribute(session, UPGRADE_ATTRIBUTE);
        RealtimeSocket socket = new RealtimeSocket(session, address(session), limits.maxPendingMessages(), timer,
                this::closed);
        if (REFUSED.equals(upgrade)) {
            socket.close(UNAUTHENTICATED, "The session cookie does not work");
        } else if (upgrade instanceof Authenticated who) {
            if (!budget.admitAuthenticated(socket)) {
                socket.close(StatusCode.TRY_AGAIN_LATER, "This server has too many sockets open");
                return;
            }
            all.put(session, socket);
            attach(socket, who);
        } else {
            switch (budget.admitUnauthenticated(socket)) {
                case FULL -> socket.close(StatusCode.TRY_AGAIN_LATER,
                        "This server has too many sockets waiting to authenticate");
                case ADDRESS_FULL -> socket.close(StatusCode.POLICY_VIOLATION,
                        "Too many sockets waiting to authenticate from this address");
                case ADMITTED -> {
                    all.put(session, socket);
                    socket.authTimeout = timer.schedule(() -> {
                        if (socket.decideAuthentication()) {
                            socket.close(UNAUTHENTICATED, "No authenticate message came in time");
                        }
                    }, limits.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private static Object upgradeAttribute(Session session, String name) {
        return session.getUpgradeRequest() instanceof ServletUpgradeRequest servlet
                ? servlet.getServletAttribute(name) : null;
    }

    /** The address the upgrade check resolved, or else the connection's peer. */
    private static String address(Session session) {
        if (upgradeAttribute(session, ADDRESS_ATTRIBUTE) instanceof String resolved) {
            return resolved;
        }
        InetSocketAddress peer = session.getRemoteAddress();
        String text = peer == null || peer.getAddress() == null ? "unknown" : peer.getAddress().getHostAddress();
        String canonical = ClientAddress.canonical(text);
        return canonical != null ? canonical : text;
    }

    private void message(Session session, String text) {
        RealtimeSocket socket = all.get(session);
        if (socket == null) {
            return;
        }
        socket.heard();
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            socket.close(StatusCode.POLICY_VIOLATION, "Messages are JSON objects");
            return;
        }
        String type = message != null && message.isObject() ? message.path("type").asText("") : "";
        if (socket.who == null) {
            if (!type.equals("authenticate") && !type.equals("ping")) {
                socket.close(StatusCode.POLICY_VIOLATION, "Only authenticate and ping are taken");
            } else if (type.equals("ping")) {
                socket.close(UNAUTHENTICATED, "Authenticate first");
            } else if (socket.decideAuthentication()) {
                authenticate(socket, message.path("session_token").asText(null));
            } // else the timeout came first and closes the socket
        } else if (type.equals("ping")) {
            socket.send("{\"type\":\"pong\"}");
        } else {
            socket.close(StatusCode.POLICY_VIOLATION, "Only ping is taken once authenticated");
        }
    }

    private void authenticate(RealtimeSocket socket, String token) {
        Authenticated who;
        try {
            who = accounts.sessions().authenticate(token);
        } catch (AccountsException e) {
            socket.close(UNAUTHENTICATED, "The session token does not work");
            return;
        }
        if (!budget.admitAuthenticated(socket)) {
            socket.close(StatusCode.TRY_AGAIN_LATER, "This server has too many sockets open");
            return;
        }
        attach(socket, who);
    }

    private void attach(RealtimeSocket socket, Authenticated who) {
        if (socket.authTimeout != null) {
            socket.authTimeout.cancel(false);
        }
        subscribers.attach(socket, who);
    }

    private void closed(Session session) {
        RealtimeSocket socket = all.remove(session);
        if (socket == null) {
            return;
        }
        subscribers.detach(socket);
        if (socket.authTimeout != null) {
            socket.authTimeout.cancel(false);
        }
    }

    private void pingOrCutOff() {
        long now = System.nanoTime();
        for (RealtimeSocket socket : all.values()) {
            if (now - socket.lastHeard > limits.idleAfter().toNanos()) {
                socket.close(StatusCode.SHUTDOWN, "Nothing heard from the client for too long");
            } else {
                socket.ping();
            }
        }
    }

    void close() {
        all.values().forEach(s -> s.close(StatusCode.SHUTDOWN, "The server is shutting down"));
    }

    /**
     * What Jetty calls for every socket of the mount. Jetty finds and invokes these methods by reflection, which
     * needs a public class: nested in this package-private one, it is no part of the API.
     */
    // Batching off: a send's callback then means written to the connection, which the send queue's bound counts on.
    @WebSocket(maxTextMessageSize = MAX_FRAME_BYTES, maxBinaryMessageSize = MAX_FRAME_BYTES, maxIdleTime = 300_000,
            batchMode = BatchMode.OFF)
    public static final class Endpoint {
        private final RealtimeSockets sockets;

        private Endpoint(RealtimeSockets sockets) {
            this.sockets = sockets;
        }

        @OnWebSocketConnect
        public void onConnect(Session session) {
            sockets.opened(session);
        }

        @OnWebSocketMessage
        public void onText(Session session, String text) {
            sockets.message(session, text);
        }

        @OnWebSocketMessage
        public void onBinary(Session session, byte[] data, int offset, int length) {
            RealtimeSocket socket = sockets.all.get(session);
            if (socket != null) {
                socket.close(StatusCode.POLICY_VIOLATION, "Messages are JSON text");
            }
        }

        @OnWebSocketFrame
        public void onFrame(Session session, Frame frame) {
            RealtimeSocket socket = sockets.all.get(session);
            if (socket != null && frame.getType() == Frame.Type.PONG) {
                socket.heard();
            }
        }

        @OnWebSocketError
        public void onError(Session session, Throwable failure) {
            log.debug("Real-time socket failed", failure); // a client gone or too large a frame: it closes next
        }

        @OnWebSocketClose
        public void onClose(Session session, int code, String reason) {
            sockets.closed(session);
        }
    }
}
