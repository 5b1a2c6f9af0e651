// Over 300 lines: one socket's life (budget, authentication, delivery, revocation) reads best in one place.
package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventPage;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The open sockets of one instance, by connection and by user, and what happens on them: authentication (the
 * upgrade's cookie or a first {@code authenticate} message), delivery, the close codes, and two sweeps on one daemon
 * thread: pings with an idle cut-off, and a re-check of every socket's session. Thread-safe.
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
    /** The contract's {@code detail.reason} of the revocations an account deletion makes. */
    private static final String ACCOUNT_DELETED = "account_deleted";
    /** How far back a re-check looks for the revocation of a socket's session. */
    private static final int RECENT_EVENTS = 100;
    private static final Logger log = LoggerFactory.getLogger(RealtimeSockets.class);

    private final Accounts accounts;
    private final ObjectMapper json;
    private final Realtime.Limits limits;
    private final Map<Session, RealtimeSocket> all = new ConcurrentHashMap<>();
    private final Map<Long, Set<RealtimeSocket>> byUser = new ConcurrentHashMap<>();
    private final RealtimeBudget budget;
    private final ScheduledThreadPoolExecutor timer;
    private final Endpoint endpoint = new Endpoint(this);

    RealtimeSockets(Accounts accounts, ObjectMapper json, Realtime.Limits limits) {
        this.accounts = accounts;
        this.json = json;
        this.limits = limits;
        this.budget = new RealtimeBudget(limits);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "accounts-realtime");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        long ping = limits.pingEvery().toMillis();
        long recheck = limits.recheckEvery().toMillis();
        timer.scheduleWithFixedDelay(guarded(this::pingOrCutOff), ping, ping, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(guarded(this::recheckSessions), recheck, recheck, TimeUnit.MILLISECONDS);
    }

    Endpoint endpoint() {
        return endpoint;
    }

    int count() {
        return all.size();
    }

    boolean hasUser(long userId) {
        return byUser.containsKey(userId);
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
        socket.who = who; // before it is listed: a delivery may reach it at once
        String ready = json.createObjectNode().put("type", "ready").put("session_id", who.sessionId())
                .put("user_id", who.userId()).toString();
        // Listed first, ready queued after: a client that has ready gets every delivery from then on, and a delivery
        // that finds the socket listed meanwhile is queued behind ready.
        boolean admitted = socket.listThenSend(() -> {
            boolean[] listed = {false};
            byUser.compute(who.userId(), (id, sockets) -> {
                Set<RealtimeSocket> mine = sockets != null ? sockets : ConcurrentHashMap.newKeySet();
                if (mine.size() < limits.maxPerUser() && socket.session.isOpen()) {
                    listed[0] = mine.add(socket);
                }
                return mine.isEmpty() ? null : mine;
            });
            return listed[0];
        }, ready);
        if (!admitted) {
            socket.close(StatusCode.POLICY_VIOLATION, "This user has too many sockets open");
        }
    }

    private void closed(Session session) {
        RealtimeSocket socket = all.remove(session);
        if (socket == null) {
            return;
        }
        budget.release(socket);
        if (socket.authTimeout != null) {
            socket.authTimeout.cancel(false);
        }
        Authenticated who = socket.who;
        if (who != null) {
            byUser.computeIfPresent(who.userId(), (id, sockets) -> {
                sockets.remove(socket);
                return sockets.isEmpty() ? null : sockets;
            });
        }
    }

    /** An event of this instance, complete: to each socket of its user; the revoked session's socket closes. */
    void deliver(AccountEvent event) {
        Set<RealtimeSocket> sockets = byUser.get(event.userId());
        if (sockets == null) {
            return;
        }
        String text = Realtime.eventMessage(json, event);
        boolean revoked = AccountEvent.SESSION_REVOKED.equals(event.type()) && event.sessionId() != null;
        boolean deleted = revoked && ACCOUNT_DELETED.equals(event.detail().get("reason"));
        for (RealtimeSocket socket : sockets) {
            socket.send(text);
            if (revoked && socket.who.sessionId() == event.sessionId()) {
                socket.close(deleted ? FORBIDDEN : UNAUTHENTICATED, deleted ? "The account was deleted"
                        : "The session was revoked");
            }
        }
    }

    /**
     * Another instance's event: its row read back; a revocation whose row went with its account (deleted) still
     * reaches the sockets, as far as the payload tells it.
     */
    void deliverStored(long userId, long eventId, String type, Long sessionId, Instant at) {
        EventPage page = eventsOf(userId, eventId + 1, 1);
        if (page != null && !page.events().isEmpty() && page.events().get(0).id() == eventId) {
            deliver(page.events().get(0));
        } else if (AccountEvent.SESSION_REVOKED.equals(type) && (page == null || !userExists(userId))) {
            deliver(new AccountEvent(eventId, userId, type, at, sessionId, null, null,
                    Map.of("reason", ACCOUNT_DELETED)));
        }
    }

    /** A ready-made message to each socket of the user. */
    void deliver(long userId, String text) {
        Set<RealtimeSocket> sockets = byUser.get(userId);
        if (sockets != null) {
            sockets.forEach(socket -> socket.send(text));
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

    /** Closes the sockets whose session no longer works: 4401, or 4403 when the account is gone. */
    void recheckSessions() {
        List<RealtimeSocket> authenticated = all.values().stream().filter(s -> s.who != null).toList();
        if (authenticated.isEmpty()) {
            return;
        }
        Set<Long> active = accounts.sessions().active(authenticated.stream().map(s -> s.who.sessionId()).toList());
        Map<Long, Boolean> exists = new HashMap<>();
        for (RealtimeSocket socket : authenticated) {
            if (!active.contains(socket.who.sessionId())) {
                boolean deleted = !exists.computeIfAbsent(socket.who.userId(), this::userExists);
                if (!deleted) {
                    sendRevocation(socket); // the event may not have come (yet, or during an outage)
                }
                socket.close(deleted ? FORBIDDEN : UNAUTHENTICATED, deleted ? "The account was deleted"
                        : "The session ended");
            }
        }
    }

    /** The socket's session's revocation among the user's latest events, sent ahead of the close it explains. */
    private void sendRevocation(RealtimeSocket socket) {
        EventPage recent = eventsOf(socket.who.userId(), null, RECENT_EVENTS);
        for (AccountEvent e : recent == null ? List.<AccountEvent>of() : recent.events()) {
            if (AccountEvent.SESSION_REVOKED.equals(e.type()) && e.sessionId() != null
                    && e.sessionId() == socket.who.sessionId()) {
                socket.send(Realtime.eventMessage(json, e));
                return;
            }
        }
    }

    /** The user's events, or null when the user is gone (deleted, its events with it). */
    private EventPage eventsOf(long userId, Long before, int limit) {
        try {
            return accounts.operators().userEvents(userId, before, limit);
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private boolean userExists(long userId) {
        try {
            accounts.operators().user(userId);
            return true;
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static Runnable guarded(Runnable sweep) {
        return () -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                log.warn("A real-time sweep failed ({}); the next one runs as planned", e.toString());
            }
        };
    }

    void close() {
        timer.shutdownNow();
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
