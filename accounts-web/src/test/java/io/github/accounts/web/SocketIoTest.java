package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.RealtimeTest.SignedUp;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.github.accounts.web.RealtimeTest.signIn;
import static io.github.accounts.web.RealtimeTest.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-time channel over Socket.IO, spoken by the official client ({@code socket.io-client} 4.x run by Node)
 * against a real server: authentication by token and by cookie, the refusals as {@code connect_error}, both
 * transports and the upgrade, events caused by HTTP calls, revocation, and no other user's events. The channel is
 * the same over H2 and PostgreSQL (the database is behind {@link RealtimeSubscribers}): H2 here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoTest {
    private static final String PATH = "/accounts/socket.io";
    private static final String COOKIE = "__Host-accounts_session";
    /** The contract's bounds; engine.io pings every second with 10 s to answer: room for a loaded machine. */
    static final Realtime.Limits LIMITS = new Realtime.Limits(1_000, 3, 8, Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofSeconds(11), Duration.ofMillis(500));

    private HikariDataSource dataSource;
    private RealtimeInstance app;
    private final List<SocketIoNode> clients = new ArrayList<>();

    @BeforeAll
    void start() {
        SocketIoNode.install();
        dataSource = TestDatabase.H2.freshMigratedDataSource();
        app = new RealtimeInstance(dataSource, Fanout.singleInstance(), LIMITS);
    }

    @AfterAll
    void stop() {
        clients.forEach(SocketIoNode::close);
        app.close();
        dataSource.close();
    }

    private SocketIoNode client(Map<String, Object> options) {
        Map<String, Object> all = new HashMap<>(options);
        all.put("url", app.server.base);
        all.put("path", PATH);
        SocketIoNode client = SocketIoNode.connect(all);
        clients.add(client);
        return client;
    }

    private SocketIoNode withToken(String token, String... transports) {
        Map<String, Object> options = new HashMap<>(Map.of("auth", Map.of("session_token", token)));
        if (transports.length > 0) {
            options.put("transports", List.of(transports));
        }
        return client(options);
    }

    /** A client with its {@code ready} taken. */
    private SocketIoNode ready(SignedUp user, String... transports) {
        SocketIoNode client = withToken(user.token(), transports);
        client.next("connect");
        JsonNode ready = client.until("ready", new ArrayList<>());
        assertThat(ready.at("/data/session_id").asLong()).isEqualTo(user.sessionId());
        return client;
    }

    @Test
    void aSessionTokenInAuthGetsReadyWithTheSessionAndUser() {
        SignedUp alice = signUp(app.server, "sio-token");
        SocketIoNode client = withToken(alice.token());

        client.next("connect");
        JsonNode ready = client.until("ready", new ArrayList<>()).path("data");
        assertThat(ready.path("session_id").asLong()).isEqualTo(alice.sessionId());
        assertThat(ready.path("user_id").asLong()).isEqualTo(alice.userId());
    }

    @Test
    void theSessionCookieFromTheOwnOriginAuthenticates() {
        SignedUp bob = signUp(app.server, "sio-cookie");
        SocketIoNode client = client(Map.of("extraHeaders", Map.of("Cookie", COOKIE + "=" + bob.token(),
                "Origin", app.server.base)));

        client.next("connect");
        JsonNode ready = client.until("ready", new ArrayList<>()).path("data");
        assertThat(ready.path("session_id").asLong()).isEqualTo(bob.sessionId());
    }

    @Test
    void neitherTokenNorCookieGetsConnectErrorUnauthenticated() {
        SocketIoNode client = client(Map.of());

        JsonNode error = client.next("connect_error");
        assertThat(error.at("/data/code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void aWrongTokenGetsConnectErrorUnauthenticated() {
        SocketIoNode client = withToken("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        JsonNode error = client.next("connect_error");
        assertThat(error.at("/data/code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void aCookieThatDoesNotWorkGetsConnectErrorUnauthenticated() {
        SocketIoNode client = client(Map.of("extraHeaders", Map.of("Cookie", COOKIE + "=not-a-session-token",
                "Origin", app.server.base)));

        assertThat(client.next("connect_error").at("/data/code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void aCookieFromAForeignOriginIsRefusedAtTheHandshake() {
        SignedUp carol = signUp(app.server, "sio-foreign");
        Map<String, String> foreign = Map.of("Cookie", COOKIE + "=" + carol.token(), "Origin", "https://evil.example");

        for (String transport : List.of("polling", "websocket")) {
            SocketIoNode client = client(Map.of("extraHeaders", foreign, "transports", List.of(transport)));
            JsonNode error = client.next("connect_error");
            assertThat(error.path("data").isNull() || !error.at("/data/code").asText().isEmpty())
                    .as(error.toString()).isTrue();
            assertThat(error.path("description").asText() + error.path("message").asText()).as(error.toString())
                    .containsAnyOf("403", "websocket error");
        }
        Reply handshake = app.server.send("GET", PATH + "/?EIO=4&transport=polling", null, null,
                "Cookie", COOKIE + "=" + carol.token(), "Origin", "https://evil.example");
        assertThat(handshake.status()).isEqualTo(403);
        assertThat(handshake.code()).isEqualTo("csrf_failed");
    }

    @Test
    void anEventCausedByAnHttpCallArrivesAsTheBareEventShape() {
        SignedUp erin = signUp(app.server, "sio-event");
        SocketIoNode client = ready(erin);
        signIn(app.server, erin);

        JsonNode event = client.nextEvent("session.signed_in");
        assertThat(event.path("session_id").asLong()).isNotEqualTo(erin.sessionId());
        assertThat(event.has("id")).isTrue();
        assertThat(event.has("at")).isTrue();
        assertThat(event.has("type")).isTrue();
        assertThat(event.path("detail").isObject()).isTrue();
    }

    @Test
    void longPollingAloneCarriesTheStream() {
        SignedUp frank = signUp(app.server, "sio-polling");
        SocketIoNode client = withToken(frank.token(), "polling");

        assertThat(client.next("connect").path("transport").asText()).isEqualTo("polling");
        client.until("ready", new ArrayList<>());
        signIn(app.server, frank);
        assertThat(client.nextEvent("session.signed_in").path("type").asText()).isEqualTo("session.signed_in");
    }

    @Test
    void theClientUpgradesToWebSocketAndTheStreamGoesOn() {
        SignedUp grace = signUp(app.server, "sio-upgrade");
        SocketIoNode client = client(Map.of("auth", Map.of("session_token", grace.token()), "traceEngine", true));

        assertThat(client.next("open").path("transport").asText()).isEqualTo("polling");
        List<JsonNode> before = new ArrayList<>();
        assertThat(client.until("upgrade", before).path("transport").asText()).isEqualTo("websocket");
        if (before.stream().noneMatch(line -> line.path("on").asText().equals("ready"))) {
            client.until("ready", new ArrayList<>()); // the upgrade finished before the CONNECT was answered
        }
        signIn(app.server, grace);
        assertThat(client.nextEvent("session.signed_in").path("type").asText()).isEqualTo("session.signed_in");
    }

    @Test
    void aWebSocketOnlyClientConnects() {
        SignedUp heidi = signUp(app.server, "sio-websocket");
        SocketIoNode client = withToken(heidi.token(), "websocket");

        assertThat(client.next("connect").path("transport").asText()).isEqualTo("websocket");
        client.until("ready", new ArrayList<>());
    }

    @Test
    void revokingTheSessionSendsTheEventThenDisconnectsFromTheServerSide() {
        SignedUp ivan = signUp(app.server, "sio-revoke");
        String other = signIn(app.server, ivan);
        SocketIoNode client = ready(ivan);

        assertThat(app.server.send("DELETE", "/accounts/sessions/" + ivan.sessionId(), null, other).status())
                .isEqualTo(204);

        JsonNode event = client.nextEvent("session.revoked");
        assertThat(event.path("session_id").asLong()).isEqualTo(ivan.sessionId());
        assertThat(client.until("disconnect", new ArrayList<>()).path("reason").asText())
                .isEqualTo("io server disconnect");
    }

    /**
     * The server's goodbye while the client upgrades, by engine.io's wire protocol: once its probe is answered the
     * client polls no more, so what the server says then (the revocation's event and DISCONNECT) must wait for the
     * upgrade and come over the WebSocket. It was lost when the connection closed at once (engine.io refuses an
     * upgrade once closing), and the official client saw "transport close" and reconnected.
     */
    @Test
    void whatTheServerSaysDuringTheUpgradeComesOverTheWebSocket() throws InterruptedException {
        SignedUp nina = signUp(app.server, "sio-upgrading");
        String other = signIn(app.server, nina);
        String polling = PATH + "/?EIO=4&transport=polling&sid=";
        String sid = app.server.send("GET", PATH + "/?EIO=4&transport=polling", null, null).body()
                .replaceAll("^0\\{\\s*\"sid\"\\s*:\\s*\"([^\"]+)\".*$", "$1");
        assertThat(app.server.send("POST", polling + sid, "40{\"session_token\":\"" + nina.token() + "\"}", null)
                .status()).isEqualTo(200);
        String polled = "";
        while (!polled.contains("\"ready\"")) {
            polled += app.server.send("GET", polling + sid, null, null).body();
        }
        EngineSocket upgrade = EngineSocket.open(app.server.base + PATH + "/?EIO=4&transport=websocket&sid=" + sid);
        upgrade.send("2probe");
        assertThat(upgrade.next()).isEqualTo("3probe");

        assertThat(app.server.send("DELETE", "/accounts/sessions/" + nina.sessionId(), null, other).status())
                .isEqualTo(204);
        Thread.sleep(1_000); // the revocation reaches the channel: its packets wait, since no poll takes them
        upgrade.send("5");

        List<String> after = upgrade.untilClosed();
        assertThat(after).anyMatch(packet -> packet.startsWith("42[\"event\",")
                && packet.contains("\"session.revoked\""));
        assertThat(after).contains("41");
    }

    @Test
    void anotherUsersEventsNeverArrive() {
        SignedUp judy = signUp(app.server, "sio-mine");
        SocketIoNode client = ready(judy, "polling");
        SignedUp ken = signUp(app.server, "sio-theirs");
        signIn(app.server, ken);
        app.realtime.send(judy.userId(), "marker", Map.of());

        List<JsonNode> before = new ArrayList<>();
        JsonNode marker = client.until("message", before);
        assertThat(marker.at("/data/topic").asText()).isEqualTo("marker");
        for (JsonNode line : before) { // her own sign-up's, when the event thread lags behind
            assertThat(line.at("/data/session_id").asLong()).as(line.toString()).isEqualTo(judy.sessionId());
        }
    }

    @Test
    void aHostMessageArrivesAsMessageWithTopicAndData() {
        SignedUp leo = signUp(app.server, "sio-message");
        SocketIoNode client = ready(leo);

        app.realtime.send(leo.userId(), "inbox", Map.of("unread", 3));

        JsonNode message = client.until("message", new ArrayList<>()).path("data");
        assertThat(message.path("topic").asText()).isEqualTo("inbox");
        assertThat(message.at("/data/unread").asInt()).isEqualTo(3);
        assertThat(message.has("type")).isFalse();
    }

    @Test
    void clientsBeyondThePerUserCapAreDisconnectedFromTheServerSide() {
        SignedUp mia = signUp(app.server, "sio-cap");
        for (int i = 0; i < LIMITS.maxPerUser(); i++) {
            ready(mia);
        }
        SocketIoNode oneTooMany = withToken(mia.token());

        List<JsonNode> before = new ArrayList<>();
        assertThat(oneTooMany.until("disconnect", before).path("reason").asText()).isEqualTo("io server disconnect");
        assertThat(before).noneMatch(line -> line.path("on").asText().equals("ready"));
    }

    @Test
    void aPollBodyOver4KiBIsRefusedWith413() {
        Reply handshake = app.server.send("GET", PATH + "/?EIO=4&transport=polling", null, null);
        assertThat(handshake.status()).as(handshake.body()).isEqualTo(200);
        String sid = handshake.body().replaceAll("^0\\{\\s*\"sid\"\\s*:\\s*\"([^\"]+)\".*$", "$1");

        Reply big = app.server.send("POST", PATH + "/?EIO=4&transport=polling&sid=" + sid, "4" + "x".repeat(5_000),
                null);
        assertThat(big.status()).isEqualTo(413);
    }

    @Test
    void aJsonpPollIsRefused() {
        assertThat(app.server.send("GET", PATH + "/?EIO=4&transport=polling&j=0", null, null).status()).isEqualTo(400);
    }

    /** A WebSocket speaking engine.io's frames as text (java.net.http's client over a real socket). */
    private static final class EngineSocket implements WebSocket.Listener {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean closed;
        private WebSocket ws;

        static EngineSocket open(String url) {
            EngineSocket socket = new EngineSocket();
            socket.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(url.replaceFirst("^http", "ws")), socket).join();
            return socket;
        }

        void send(String frame) {
            ws.sendText(frame, true).join();
        }

        String next() throws InterruptedException {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 s").isNotNull();
            return frame;
        }

        /** The frames until the server closed the connection (10 s at most). */
        List<String> untilClosed() throws InterruptedException {
            List<String> all = new ArrayList<>();
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); !closed && System.nanoTime() < end; ) {
                String frame = frames.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    all.add(frame);
                }
            }
            frames.drainTo(all);
            assertThat(closed).as("closed by the server; frames: " + all).isTrue();
            return all;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
        }
    }
}
