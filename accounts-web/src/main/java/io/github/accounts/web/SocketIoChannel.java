// Over 300 lines: the Socket.IO handshake's checks, both transports and the hand-over to the inner server, in one place.
package io.github.accounts.web;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoServerOptions;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.Emitter;
import io.socket.engineio.server.utils.ParseQS;
import io.socket.socketio.server.SocketIoServer;
import io.socket.socketio.server.SocketIoSocket;
import org.eclipse.jetty.websocket.api.BatchMode;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketConnect;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketError;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.eclipse.jetty.websocket.servlet.ServletUpgradeRequest;
import org.json.JSONException;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real-time channel for Socket.IO clients at {@code {prefix}/socket.io/}: protocol v5 over engine.io v4, both
 * transports, spoken by the Socket.IO project's own Java server. Two engine.io servers: the outer one takes the
 * polls and WebSockets; a connection's first {@code CONNECT} is checked here (the {@code auth.session_token}, else
 * the handshake's cookie) and only then handed to the inner one, the {@link SocketIoServer}'s, so a refused client
 * gets a {@code connect_error} with {@code data.code} and never a socket. Authenticated clients are delivered to
 * through {@link RealtimeSubscribers}, the path the WebSocket shares. Thread-safe.
 */
final class SocketIoChannel {
    /** Where the channel is, under the prefix of the mount that registered it. */
    static final String PATH = "/socket.io/";
    /** The most bytes of one poll's body or one WebSocket frame: a client sends little more than its CONNECT. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    /** The query parameter that carries a handshake's context from the route to the connection; ours only. */
    private static final String HANDSHAKE = "accounts_handshake";
    private static final long ENGINE_PING_INTERVAL_MAX_MILLIS = 25_000;
    private static final long ENGINE_PING_TIMEOUT_MAX_MILLIS = 20_000;
    private static final Logger log = LoggerFactory.getLogger(SocketIoChannel.class);

    private final RealtimeSubscribers subscribers;
    private final Realtime.Limits limits;
    private final EngineIoServer engine;
    private final EngineIoServer inner;
    private final SecureRandom random = new SecureRandom();
    /** Handshakes whose connection the engine is opening: their cookie's proof and address, by key. */
    private final Map<String, Handshake> handshakes = new ConcurrentHashMap<>();
    /** CONNECTs let in, on their way through the inner server to the namespace, by key. */
    private final Map<String, SocketIoClient> admitted = new ConcurrentHashMap<>();
    private final Map<EngineIoSocket, SocketIoClient> clients = new ConcurrentHashMap<>();
    private final Endpoint endpoint = new Endpoint(this);
    private final long pollTimeoutMillis;

    private record Handshake(Object cookie, String address) {
    }

    SocketIoChannel(RealtimeSubscribers subscribers) {
        this.subscribers = subscribers;
        this.limits = subscribers.limits();
        long interval = Math.min(limits.pingEvery().toMillis(), ENGINE_PING_INTERVAL_MAX_MILLIS);
        long timeout = Math.max(1, Math.min(limits.idleAfter().toMillis() - interval, ENGINE_PING_TIMEOUT_MAX_MILLIS));
        this.pollTimeoutMillis = interval + timeout + 5_000;
        this.engine = new EngineIoServer(options(interval, timeout));
        this.inner = new EngineIoServer(options(interval, timeout));
        SocketIoServer io = new SocketIoServer(inner);
        engine.on("connection", args -> opened((EngineIoSocket) args[0]));
        io.namespace("/").on("connection", args -> connected((SocketIoSocket) args[0]));
    }

    private EngineIoServerOptions options(long interval, long timeout) {
        EngineIoServerOptions options = EngineIoServerOptions.newFromDefault();
        options.setCorsHandlingDisabled(true); // the routes' CORS rules apply, never the engine's allow-all
        options.setPingInterval(interval);
        options.setPingTimeout(timeout);
        options.setScheduledExecutorService(subscribers.timer());
        return options;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    int count() {
        return clients.size();
    }

    /**
     * Answers one request of the polling transport: its body bounded, JSONP refused, a handshake given the cookie's
     * proof ({@code cookie}) and the client's address. Returns the body for Spark, or (a held poll) an empty one on a
     * response committed already.
     */
    Object poll(Request req, Response res, Object cookie, String address) throws IOException {
        Map<String, String> query = query(req.raw().getQueryString());
        if (query == null || query.containsKey("j") || query.containsKey(HANDSHAKE)) {
            throw new HttpProblem(400, "validation_failed", "Not a Socket.IO request this server takes.");
        }
        byte[] body = "POST".equalsIgnoreCase(req.requestMethod()) ? body(req) : new byte[0];
        String queryString = req.raw().getQueryString();
        String key = null;
        if (!query.containsKey("sid")) {
            key = handshake(cookie, address);
            queryString = (queryString == null ? "" : queryString + "&") + HANDSHAKE + "=" + key;
        }
        SocketIoPoll poll = new SocketIoPoll(req.raw(), res.raw(), queryString, body);
        try {
            engine.handleRequest(poll.request(), poll.response());
        } finally {
            if (key != null) {
                handshakes.remove(key); // taken by the connection, or the engine refused the handshake
            }
        }
        byte[] answer = poll.answerNow();
        if (answer == null) {
            poll.goAsync(pollTimeoutMillis);
            return "";
        }
        res.status(poll.status());
        res.type(poll.contentType());
        res.header("Cache-Control", "no-store");
        return RouteAdapter.sized(res, answer);
    }

    /** The query's parameters, or null when one is named twice (engine.io's own parser throws then). */
    private static Map<String, String> query(String queryString) {
        if (queryString == null || queryString.isEmpty()) {
            return Map.of();
        }
        try {
            return new HashMap<>(ParseQS.decode(queryString));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static byte[] body(Request req) throws IOException {
        long length = req.raw().getContentLengthLong();
        if (length > MAX_PAYLOAD_BYTES) {
            throw new HttpProblem(413, "payload_too_large", "A poll carries at most " + MAX_PAYLOAD_BYTES + " bytes.");
        }
        byte[] body = req.raw().getInputStream().readNBytes(MAX_PAYLOAD_BYTES + 1);
        if (body.length > MAX_PAYLOAD_BYTES) {
            throw new HttpProblem(413, "payload_too_large", "A poll carries at most " + MAX_PAYLOAD_BYTES + " bytes.");
        }
        return body;
    }

    private String handshake(Object cookie, String address) {
        String key = newKey();
        handshakes.put(key, new Handshake(cookie, address));
        return key;
    }

    private String newKey() {
        byte[] key = new byte[18];
        random.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** A new engine connection: a place among the unauthenticated clients, until its CONNECT or the auth timeout. */
    private void opened(EngineIoSocket connection) {
        String key = connection.getInitialQuery() == null ? null : connection.getInitialQuery().get(HANDSHAKE);
        Handshake handshake = key == null ? null : handshakes.remove(key);
        if (handshake == null) {
            connection.close();
            return;
        }
        SocketIoClient client = new SocketIoClient(connection, handshake.address(), handshake.cookie(),
                limits.maxPendingMessages());
        RealtimeBudget.Admission admission = subscribers.budget().admitUnauthenticated(client);
        if (admission != RealtimeBudget.Admission.ADMITTED) {
            connection.close();
            return;
        }
        clients.put(connection, client);
        connection.on("close", (Emitter.Listener) args -> closed(client));
        connection.on("flush", (Emitter.Listener) args -> client.flushing((Collection<?>) args[0]));
        connection.on("drain", (Emitter.Listener) args -> client.drained());
        Emitter.Listener gate = new Emitter.Listener() {
            @Override
            public void call(Object... args) {
                connection.off("data", this);
                connect(client, args.length > 0 ? args[0] : null);
            }
        };
        connection.on("data", gate);
        client.authTimeout = subscribers.timer().schedule(() -> {
            if (client.decideAuthentication()) {
                client.refuse("unauthenticated", "No CONNECT came in time");
            }
        }, limits.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The connection's first packet, which must be a CONNECT to the default namespace. */
    private void connect(SocketIoClient client, Object data) {
        if (!client.decideAuthentication()) {
            return; // the timeout came first
        }
        client.authTimeout.cancel(false);
        String packet = data instanceof String text ? text : "";
        if (!packet.startsWith("0") || packet.startsWith("0/") && !packet.startsWith("0/,")) {
            client.refuse("unauthenticated", "Connect to the default namespace first");
            return;
        }
        Authenticated who;
        try {
            who = authenticate(client, token(packet));
        } catch (AccountsException e) {
            client.refuse(e.code() == ErrorCode.UNAUTHENTICATED ? "unauthenticated" : "unavailable",
                    e.code() == ErrorCode.UNAUTHENTICATED ? "The session does not work" : "Try again later");
            return;
        }
        if (!subscribers.budget().admitAuthenticated(client)) {
            client.refuse("overloaded", "This server has too many sockets open");
            return;
        }
        client.who = who;
        String key = newKey();
        admitted.put(key, client);
        inner.emit("connection", client.connection);
        client.connection.emit("data", "0" + new JSONObject().put("k", key));
        if (admitted.remove(key) != null) { // the namespace did not take it
            client.end(RealtimeClient.Ending.SHUTDOWN);
        }
    }

    private Authenticated authenticate(SocketIoClient client, String token) {
        if (token != null) {
            return subscribers.accounts().sessions().authenticate(token);
        }
        if (client.cookie instanceof Authenticated who) {
            return who;
        }
        throw AccountsException.of(ErrorCode.UNAUTHENTICATED, "No session token and no working session cookie");
    }

    /** The {@code auth.session_token} of a CONNECT packet ({@code 0} then the payload), or null. */
    private static String token(String packet) {
        int start = packet.indexOf('{');
        if (start < 0) {
            return null;
        }
        try {
            Object token = new JSONObject(packet.substring(start)).opt("session_token");
            return token instanceof String text ? text : null;
        } catch (JSONException e) {
            return null;
        }
    }

    /** The namespace's new socket, of a CONNECT let in: listed for its user's deliveries, {@code ready} first. */
    private void connected(SocketIoSocket socket) {
        Object data = socket.getConnectData();
        String key = data instanceof JSONObject json ? json.optString("k", null) : null;
        SocketIoClient client = key == null ? null : admitted.remove(key);
        if (client == null) {
            socket.disconnect(true);
            return;
        }
        client.socket = socket;
        subscribers.attach(client, client.who);
    }

    private void closed(SocketIoClient client) {
        clients.remove(client.connection);
        if (client.authTimeout != null) {
            client.authTimeout.cancel(false);
        }
        subscribers.detach(client);
    }

    void close() {
        clients.values().forEach(client -> client.end(RealtimeClient.Ending.SHUTDOWN));
        engine.shutdown();
        inner.shutdown();
    }

    /**
     * What Jetty calls for every Socket.IO WebSocket of the mount; the upgrade's route left the cookie's proof and the
     * address on the request. Public for Jetty's reflection only: nested in a package-private class, no part of the
     * API.
     */
    @WebSocket(maxTextMessageSize = MAX_PAYLOAD_BYTES, maxBinaryMessageSize = MAX_PAYLOAD_BYTES,
            maxIdleTime = 300_000, batchMode = BatchMode.OFF)
    public static final class Endpoint {
        private final SocketIoChannel channel;
        private final Map<Session, SocketIoWebSocket> sockets = new ConcurrentHashMap<>();

        private Endpoint(SocketIoChannel channel) {
            this.channel = channel;
        }

        @OnWebSocketConnect
        public void onConnect(Session session) {
            Map<String, String> query = query(session.getUpgradeRequest().getQueryString());
            if (query == null || query.containsKey(HANDSHAKE) || query.containsKey("j")) {
                session.close(StatusCode.POLICY_VIOLATION, "Not a Socket.IO handshake");
                return;
            }
            String key = null;
            if (!query.containsKey("sid")) {
                key = channel.handshake(attribute(session, RealtimeSockets.UPGRADE_ATTRIBUTE),
                        String.valueOf(attribute(session, RealtimeSockets.ADDRESS_ATTRIBUTE)));
                query = new HashMap<>(query);
                query.put(HANDSHAKE, key);
            }
            SocketIoWebSocket socket = new SocketIoWebSocket(session, query, channel.limits.maxPendingMessages());
            sockets.put(session, socket);
            try {
                channel.engine.handleWebSocket(socket);
            } finally {
                if (key != null) {
                    channel.handshakes.remove(key);
                }
            }
        }

        private static Object attribute(Session session, String name) {
            return session.getUpgradeRequest() instanceof ServletUpgradeRequest servlet
                    ? servlet.getServletAttribute(name) : null;
        }

        @OnWebSocketMessage
        public void onText(Session session, String text) {
            SocketIoWebSocket socket = sockets.get(session);
            if (socket != null) {
                socket.emit("message", text);
            }
        }

        @OnWebSocketMessage
        public void onBinary(Session session, byte[] data, int offset, int length) {
            session.close(StatusCode.BAD_DATA, "This channel takes text only");
        }

        @OnWebSocketError
        public void onError(Session session, Throwable failure) {
            log.debug("Socket.IO WebSocket failed", failure); // a client gone or too large a frame: it closes next
            SocketIoWebSocket socket = sockets.get(session);
            if (socket != null) {
                socket.emit("error", "write error", String.valueOf(failure.getMessage()));
            }
        }

        @OnWebSocketClose
        public void onClose(Session session, int code, String reason) {
            SocketIoWebSocket socket = sockets.remove(session);
            if (socket != null) {
                socket.emit("close");
            }
        }
    }
}
