// Over 300 lines: the channel's public face, its builder's documented limits and its fan-out wiring.
package io.github.accounts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.AccountEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The real-time channel: {@code GET {prefix}/events/socket} WebSockets that carry each user's account events as they
 * happen on any instance sharing the database, and the host's own messages ({@link #send}). Wire it in three
 * places: {@link #listener()} on the {@link AccountsBuilder}, {@link AccountsRoutes.Builder#realtime} on the routes,
 * and the first {@link AccountsRoutes#mount} of a Spark service before any route of the host's (Spark takes web
 * sockets only before route mapping begins). Instances reach each other through a {@link Fanout}. Thread-safe;
 * close it on shutdown.
 *
 * <pre>{@code
 * Realtime realtime = Realtime.builder().fanout(Fanout.postgres(() -> DriverManager.getConnection(url))).build();
 * Accounts accounts = Accounts.builder(dataSource).eventListener(realtime.listener()).build();
 * AccountsRoutes routes = AccountsRoutes.builder(accounts).realtime(realtime).build();
 * routes.mount(http, "/accounts"); // first, then the host's routes
 * realtime.send(userId, "chat", Map.of("unread", 3));
 * }</pre>
 */
public final class Realtime implements AutoCloseable {
    /** Where the socket is, under the prefix of the mount that registered it. */
    public static final String PATH = "/events/socket";
    private static final Logger log = LoggerFactory.getLogger(Realtime.class);

    private final Fanout fanout;
    private final Limits limits;
    private final boolean socketIo;
    private final String instance = UUID.randomUUID().toString();
    private volatile RealtimeSubscribers subscribers;
    private volatile RealtimeSockets sockets;
    private volatile SocketIoChannel socketIoChannel;
    private volatile ObjectMapper json;
    private volatile Accounts accounts;

    private Realtime(Builder b) {
        this.fanout = b.fanout;
        this.limits = b.limits;
        this.socketIo = b.socketIo;
    }

    /**
     * Starts building a channel; by default for a single instance, 10,000 authenticated sockets per instance, 16 per
     * user, and 1,000 waiting to authenticate (3 s each, 16 per client address).
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The listener to register on {@link AccountsBuilder#eventListener}: it pushes each event to the sockets. */
    public AccountEventListener listener() {
        return this::onEvent;
    }

    /**
     * Sends {@code {"type": "message", "topic", "data"}} to every socket of the user on every instance; {@code data}
     * is written as the routes write JSON and must keep the whole message under {@value Fanout#MAX_PAYLOAD_BYTES}
     * bytes. Sockets that are not open or not yet authenticated miss it: it is a push, not a mailbox.
     */
    public void send(long userId, String topic, Object data) {
        Objects.requireNonNull(topic, "null topic");
        RealtimeSubscribers here = requireBound();
        ObjectNode message = json.createObjectNode().put("type", "message").put("topic", topic);
        message.set("data", json.valueToTree(data));
        String text = message.toString();
        String payload = json.createObjectNode().put("from", instance).put("u", userId).put("text", text).toString();
        if (payload.getBytes(StandardCharsets.UTF_8).length > Fanout.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("A real-time message must stay under " + Fanout.MAX_PAYLOAD_BYTES
                    + " bytes of JSON, this one has " + payload.getBytes(StandardCharsets.UTF_8).length);
        }
        here.deliver(userId, text);
        fanout.publish(payload);
    }

    /** How many sockets are open on this instance, authenticated or not, WebSockets and Socket.IO connections. */
    public int openSockets() {
        RealtimeSockets here = sockets;
        SocketIoChannel there = socketIoChannel;
        return (here == null ? 0 : here.count()) + (there == null ? 0 : there.count());
    }

    /** Whether the user has an authenticated socket on this instance. */
    boolean hasSocketsOf(long userId) {
        RealtimeSubscribers here = subscribers;
        return here != null && here.hasUser(userId);
    }

    /** Binds the channel to the accounts and JSON of the routes it is given to; once. */
    synchronized void bind(Accounts accounts, ObjectMapper json) {
        if (this.accounts != null) {
            if (this.accounts != accounts) {
                throw new IllegalStateException("This Realtime already serves the routes of another Accounts");
            }
            return;
        }
        this.json = json;
        this.accounts = accounts;
        this.subscribers = new RealtimeSubscribers(accounts, json, limits);
        this.sockets = new RealtimeSockets(json, subscribers);
        this.socketIoChannel = socketIo ? new SocketIoChannel(subscribers) : null;
        fanout.start(new Fanout.Receiver() {
            @Override
            public void received(String payload) {
                onPayload(payload);
            }

            @Override
            public void resumed() {
                subscribers.recheckSessions();
            }
        });
    }

    /** The Jetty endpoint of the sockets, for {@link AccountsRoutes#mount}. */
    RealtimeSockets.Endpoint endpoint() {
        requireBound();
        return sockets.endpoint();
    }

    /** The Socket.IO channel, for {@link AccountsRoutes#mount}; null when the host left it off. */
    SocketIoChannel socketIo() {
        requireBound();
        return socketIoChannel;
    }

    private RealtimeSubscribers requireBound() {
        RealtimeSubscribers here = subscribers;
        if (here == null) {
            throw new IllegalStateException("Give this Realtime to AccountsRoutes.Builder.realtime(...) first");
        }
        return here;
    }

    private void onEvent(AccountEvent event) {
        RealtimeSubscribers here = subscribers;
        if (here == null || event.userId() == null) {
            return;
        }
        here.deliver(event);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("from", instance);
        payload.put("e", event.id());
        payload.put("u", event.userId());
        payload.put("s", event.sessionId());
        payload.put("t", event.type());
        payload.put("at", event.at().toString());
        try {
            fanout.publish(json.writeValueAsString(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another instance's event or message; the socket side reads the event's row for what the payload lacks. */
    private void onPayload(String payload) {
        try {
            JsonNode p = json.readTree(payload);
            if (instance.equals(p.path("from").asText()) || !p.path("u").canConvertToLong()) {
                return;
            }
            long userId = p.get("u").asLong();
            if (!subscribers.hasUser(userId)) {
                return;
            }
            if (p.has("text")) {
                subscribers.deliver(userId, p.get("text").asText());
            } else {
                Long sessionId = p.path("s").isNumber() ? p.get("s").asLong() : null;
                subscribers.deliverStored(userId, p.path("e").asLong(), p.path("t").asText(), sessionId,
                        Instant.parse(p.path("at").asText()));
            }
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("Real-time payload not delivered ({}): {}", e.toString(), payload);
        }
    }

    /** Closes every socket (1001; Socket.IO: a server-side disconnect) and stops the fan-out and the sweeps. */
    @Override
    public void close() {
        fanout.close();
        RealtimeSockets here = sockets;
        if (here != null) {
            here.close();
        }
        SocketIoChannel there = socketIoChannel;
        if (there != null) {
            there.close();
        }
        RealtimeSubscribers all = subscribers;
        if (all != null) {
            all.close();
        }
    }

    /**
     * The bounds and timings of the sockets; tests shorten the timings. Unauthenticated sockets have places of their
     * own ({@link RealtimeBudget}), beside the {@code maxSockets} authenticated ones.
     */
    record Limits(int maxSockets, int maxPerUser, int maxPendingMessages, Duration authTimeout, Duration pingEvery,
                  Duration idleAfter, Duration recheckEvery, int maxUnauthenticated, int maxUnauthenticatedPerAddress) {
        static final Limits DEFAULT = new Limits(10_000, 16, 256, Duration.ofSeconds(3), Duration.ofSeconds(30),
                Duration.ofSeconds(75), Duration.ofMinutes(1), 1_000, 16);

        Limits {
            if (maxSockets < 1 || maxPerUser < 1 || maxPendingMessages < 1 || maxUnauthenticated < 1
                    || maxUnauthenticatedPerAddress < 1) {
                throw new IllegalArgumentException("Socket limits must be positive");
            }
        }

        /** The default bounds on unauthenticated sockets. */
        Limits(int maxSockets, int maxPerUser, int maxPendingMessages, Duration authTimeout, Duration pingEvery,
               Duration idleAfter, Duration recheckEvery) {
            this(maxSockets, maxPerUser, maxPendingMessages, authTimeout, pingEvery, idleAfter, recheckEvery,
                    DEFAULT.maxUnauthenticated, DEFAULT.maxUnauthenticatedPerAddress);
        }

        Limits withMaxSockets(int value) {
            return new Limits(value, maxPerUser, maxPendingMessages, authTimeout, pingEvery, idleAfter, recheckEvery,
                    maxUnauthenticated, maxUnauthenticatedPerAddress);
        }

        Limits withMaxPerUser(int value) {
            return new Limits(maxSockets, value, maxPendingMessages, authTimeout, pingEvery, idleAfter, recheckEvery,
                    maxUnauthenticated, maxUnauthenticatedPerAddress);
        }

        Limits withUnauthenticated(int max, int perAddress) {
            return new Limits(maxSockets, maxPerUser, maxPendingMessages, authTimeout, pingEvery, idleAfter,
                    recheckEvery, max, perAddress);
        }
    }

    /** Builds a {@link Realtime}. Not thread-safe. */
    public static final class Builder {
        private Fanout fanout = Fanout.singleInstance();
        private Limits limits = Limits.DEFAULT;
        private boolean socketIo = true;

        private Builder() {
        }

        /** How instances reach each other; {@link Fanout#singleInstance()} by default. */
        public Builder fanout(Fanout value) {
            this.fanout = Objects.requireNonNull(value, "null fanout");
            return this;
        }

        /**
         * The most authenticated sockets this instance keeps open (default 10,000); one more is closed with 1013 (at
         * once, or when its {@code authenticate} message comes).
         */
        public Builder maxSockets(int value) {
            this.limits = limits.withMaxSockets(value);
            return this;
        }

        /**
         * The most sockets this instance keeps open that have not authenticated yet (default 1,000), a budget of their
         * own beside {@link #maxSockets}: they never take an authenticated socket's place. One more is closed at once
         * with 1013; one more than 16 from one client address with 1008.
         */
        public Builder maxUnauthenticatedSockets(int value) {
            this.limits = limits.withUnauthenticated(value, limits.maxUnauthenticatedPerAddress());
            return this;
        }

        /** The most sockets one user keeps open on this instance (default 16); one more is closed with 1008. */
        public Builder maxSocketsPerUser(int value) {
            this.limits = limits.withMaxPerUser(value);
            return this;
        }

        /**
         * Whether Socket.IO clients are served too, at {@code {prefix}/socket.io/} beside the WebSocket (default
         * true): the same stream, bounds and defences, in the same budget of sockets.
         */
        public Builder socketIo(boolean value) {
            this.socketIo = value;
            return this;
        }

        /** Test timings and bounds. */
        Builder limits(Limits value) {
            this.limits = Objects.requireNonNull(value, "null limits");
            return this;
        }

        public Realtime build() {
            return new Realtime(this);
        }
    }

}
