package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-time channel of one instance over real sockets: authentication by message and by cookie, the close
 * codes, ping/pong, bounds, and account events pushed as they commit; on H2 and PostgreSQL.
 */
@OnEachDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeTest {
    static final String SOCKET = "/accounts/events/socket";
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final String COOKIE = "__Host-accounts_session";
    private static final AtomicInteger USERS = new AtomicInteger();

    @Parameter
    TestDatabase database;

    private HikariDataSource dataSource;
    private RealtimeInstance app;

    @BeforeParameterizedClassInvocation
    void start() {
        dataSource = database.freshMigratedDataSource();
        app = new RealtimeInstance(dataSource, Fanout.singleInstance(), RealtimeInstance.quick());
    }

    @AfterParameterizedClassInvocation
    void stop() {
        app.close();
        dataSource.close();
    }

    /** A signed-up user's session, as the sign-up answered it. */
    record SignedUp(String email, long userId, long sessionId, String token) {
    }

    static SignedUp signUp(TestClient server, String hint) {
        String email = hint + "." + USERS.incrementAndGet() + "." + ProcessHandle.current().pid() + "@example.com";
        Reply r = server.send("POST", "/accounts/users", json("email", email, "fname", "Ada", "lname", "Byron",
                "password", PASSWORD), null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new SignedUp(email, r.json().at("/user/id").asLong(), r.json().at("/session/id").asLong(),
                r.json().at("/session/session_token").asText());
    }

    static String signIn(TestClient server, SignedUp user) {
        Reply r = server.send("POST", "/accounts/sessions", json("email", user.email(), "password", PASSWORD), null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/session/session_token").asText();
    }

    /** A socket authenticated by message, its {@code ready} taken. */
    static TestSocket ready(TestClient server, SignedUp user) {
        return ready(server, user.token());
    }

    static TestSocket ready(TestClient server, String token) {
        TestSocket socket = TestSocket.open(server.base, SOCKET);
        socket.authenticate(token);
        assertThat(socket.next().path("type").asText()).isEqualTo("ready");
        return socket;
    }

    @Test
    void authenticateMessageGetsReadyWithTheSessionAndUser() {
        SignedUp alice = signUp(app.server, "rt-ready");
        TestSocket socket = TestSocket.open(app.server.base, SOCKET);
        socket.authenticate(alice.token());

        JsonNode ready = socket.next();
        assertThat(ready.path("type").asText()).isEqualTo("ready");
        assertThat(ready.path("session_id").asLong()).isEqualTo(alice.sessionId());
        assertThat(ready.path("user_id").asLong()).isEqualTo(alice.userId());
    }

    @Test
    void aSessionCookieFromTheOwnOriginAuthenticatesTheUpgrade() {
        SignedUp bob = signUp(app.server, "rt-cookie");
        TestSocket socket = TestSocket.open(app.server.base, SOCKET, "Cookie", COOKIE + "=" + bob.token(),
                "Origin", app.server.base);

        JsonNode ready = socket.next();
        assertThat(ready.path("type").asText()).isEqualTo("ready");
        assertThat(ready.path("session_id").asLong()).isEqualTo(bob.sessionId());
    }

    @Test
    void aSessionCookieFromAForeignOriginIsRefusedWith403() {
        SignedUp carol = signUp(app.server, "rt-foreign");

        assertThat(TestSocket.refusedStatus(app.server.base, SOCKET, "Cookie", COOKIE + "=" + carol.token(),
                "Origin", "https://evil.example")).isEqualTo(403);
    }

    @Test
    void aSessionCookieThatDoesNotWorkClosesWith4401() {
        TestSocket socket = TestSocket.open(app.server.base, SOCKET, "Cookie", COOKIE + "=not-a-session-token-at-all",
                "Origin", app.server.base);

        assertThat(socket.closeCode()).isEqualTo(4401);
    }

    @Test
    void aWrongSessionTokenClosesWith4401() {
        TestSocket socket = TestSocket.open(app.server.base, SOCKET);
        socket.authenticate("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        assertThat(socket.closeCode()).isEqualTo(4401);
    }

    @Test
    void noAuthenticateMessageInTimeClosesWith4401() {
        TestSocket socket = TestSocket.open(app.server.base, SOCKET);

        assertThat(socket.closeCode()).isEqualTo(4401);
    }

    @Test
    void aPingBeforeAuthenticatingClosesWith4401() {
        TestSocket socket = TestSocket.open(app.server.base, SOCKET);
        socket.send("{\"type\":\"ping\"}");

        assertThat(socket.closeCode()).isEqualTo(4401);
    }

    @Test
    void pingIsAnsweredWithPong() {
        TestSocket socket = ready(app.server, signUp(app.server, "rt-ping"));
        socket.send("{\"type\":\"ping\"}");

        assertThat(socket.next("pong").path("type").asText()).isEqualTo("pong");
    }

    @Test
    void anyOtherClientMessageClosesWith1008() {
        SignedUp dave = signUp(app.server, "rt-other");
        List<String> refused = List.of("{\"type\":\"subscribe\"}", "not json", "[1,2]",
                "{\"type\":\"authenticate\",\"session_token\":\"" + dave.token() + "\"}");
        for (String message : refused) {
            TestSocket socket = ready(app.server, dave);
            socket.send(message);
            assertThat(socket.closeCode()).as(message).isEqualTo(1008);
        }
        TestSocket binary = ready(app.server, dave);
        binary.sendBinary(new byte[] {1, 2, 3});
        assertThat(binary.closeCode()).isEqualTo(1008);
    }

    @Test
    void aFrameOver4KiBClosesWith1009() {
        TestSocket socket = ready(app.server, signUp(app.server, "rt-large"));
        socket.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4_100) + "\"}");

        assertThat(socket.closeCode()).isEqualTo(1009);
    }

    @Test
    void aPlainGetOfTheSocketPathIsA404Problem() {
        Reply r = app.server.get(SOCKET, null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    @Test
    void theUsersEventsArrivePushedAsTheyCommit() {
        SignedUp erin = signUp(app.server, "rt-events");
        TestSocket socket = ready(app.server, erin);
        signIn(app.server, erin);

        JsonNode event = socket.nextEvent("session.signed_in");
        assertThat(event.path("session_id").asLong()).isNotEqualTo(erin.sessionId());
        assertThat(event.has("at")).isTrue();
        assertThat(event.has("ip")).isTrue();
        assertThat(event.path("detail").isObject()).isTrue();
    }

    @Test
    void anotherUsersEventsDoNotArrive() {
        SignedUp frank = signUp(app.server, "rt-mine");
        TestSocket socket = ready(app.server, frank);
        SignedUp grace = signUp(app.server, "rt-theirs");
        signIn(app.server, grace);
        app.realtime.send(frank.userId(), "marker", Map.of());

        JsonNode m = socket.next();
        while (m.path("type").asText().equals("event")) { // his own sign-up's, when the event thread lags behind
            assertThat(m.at("/event/type").asText()).isEqualTo("user.signed_up");
            assertThat(m.at("/event/session_id").asLong()).isEqualTo(frank.sessionId());
            m = socket.next();
        }
        assertThat(m.path("type").asText()).isEqualTo("message");
    }

    @Test
    void revokingTheSocketsSessionSendsTheEventThenCloses4401() {
        SignedUp heidi = signUp(app.server, "rt-revoke");
        String other = signIn(app.server, heidi);
        TestSocket socket = ready(app.server, heidi);
        TestSocket bystander = ready(app.server, other);

        assertThat(app.server.send("DELETE", "/accounts/sessions/" + heidi.sessionId(), null, other).status())
                .isEqualTo(204);

        JsonNode event = socket.nextEvent("session.revoked");
        assertThat(event.path("session_id").asLong()).isEqualTo(heidi.sessionId());
        assertThat(event.at("/detail/reason").asText()).isEqualTo("revoked");
        assertThat(socket.closeCode()).isEqualTo(4401);
        assertThat(bystander.nextEvent("session.revoked").path("session_id").asLong()).isEqualTo(heidi.sessionId());
        assertThat(bystander.isClosed()).isFalse();
    }

    @Test
    void signingOutEverywhereClosesEverySocketOfTheUser() {
        SignedUp ivan = signUp(app.server, "rt-everywhere");
        TestSocket first = ready(app.server, ivan);
        TestSocket second = ready(app.server, signIn(app.server, ivan));

        assertThat(app.server.send("DELETE", "/accounts/sessions", null, ivan.token()).status()).isEqualTo(204);

        assertThat(first.closeCode()).isEqualTo(4401);
        assertThat(second.closeCode()).isEqualTo(4401);
    }

    @Test
    void deletingTheAccountSendsTheEventThenCloses4403() {
        SignedUp judy = signUp(app.server, "rt-delete");
        TestSocket socket = ready(app.server, judy);

        assertThat(app.server.send("DELETE", "/accounts/users/me", json("password", PASSWORD), judy.token()).status())
                .isEqualTo(204);

        assertThat(socket.nextEvent("session.revoked").at("/detail/reason").asText()).isEqualTo("account_deleted");
        assertThat(socket.closeCode()).isEqualTo(4403);
    }

    @Test
    void aHostMessageReachesEverySocketOfTheUser() {
        SignedUp ken = signUp(app.server, "rt-message");
        TestSocket first = ready(app.server, ken);
        TestSocket second = ready(app.server, signIn(app.server, ken));

        app.realtime.send(ken.userId(), "inbox", Map.of("unread", 3));

        for (TestSocket socket : List.of(first, second)) {
            JsonNode message = socket.next("message");
            assertThat(message.path("topic").asText()).isEqualTo("inbox");
            assertThat(message.at("/data/unread").asInt()).isEqualTo(3);
        }
    }

    @Test
    void socketsBeyondThePerUserCapAreClosedWith1008() {
        SignedUp leo = signUp(app.server, "rt-cap");
        List<TestSocket> open = new ArrayList<>();
        for (int i = 0; i < RealtimeInstance.quick().maxPerUser(); i++) {
            open.add(ready(app.server, leo));
        }
        TestSocket oneTooMany = TestSocket.open(app.server.base, SOCKET);
        oneTooMany.authenticate(leo.token());

        assertThat(oneTooMany.closeCode()).isEqualTo(1008);
        open.forEach(s -> assertThat(s.isClosed()).isFalse());
    }

    @Test
    void aClientThatAnswersPingsOutlivesTheIdleCutOff() throws InterruptedException {
        TestSocket socket = ready(app.server, signUp(app.server, "rt-alive"));
        Thread.sleep(RealtimeInstance.quick().idleAfter().multipliedBy(2).toMillis());

        socket.send("{\"type\":\"ping\"}");
        assertThat(socket.next("pong").path("type").asText()).isEqualTo("pong");
    }

    @Test
    void aClientThatAnswersNothingIsCutAfterTheIdleTimeout() {
        try (SilentSocket silent = new SilentSocket(app.server.base, SOCKET)) {
            silent.send("{\"type\":\"authenticate\",\"session_token\":\"" + signUp(app.server, "rt-silent").token()
                    + "\"}");

            assertThat(silent.drainsToTheEnd()).isTrue();
        }
    }

    @Test
    void aSlowConsumerIsClosedRatherThanBufferedForWithoutLimit() {
        Realtime.Limits q = RealtimeInstance.quick();
        Realtime.Limits patient = new Realtime.Limits(q.maxSockets(), q.maxPerUser(), q.maxPendingMessages(),
                q.authTimeout(), Duration.ofMinutes(1), Duration.ofMinutes(2), q.recheckEvery());
        try (RealtimeInstance own = new RealtimeInstance(dataSource, Fanout.singleInstance(), patient);
             SilentSocket slow = new SilentSocket(own.server.base, SOCKET)) {
            SignedUp mallory = signUp(own.server, "rt-slow");
            slow.send("{\"type\":\"authenticate\",\"session_token\":\"" + mallory.token() + "\"}");
            while (!own.realtime.hasSocketsOf(mallory.userId())) {
                Thread.onSpinWait();
            }
            String filler = "x".repeat(3_000);
            int sent = 0;
            while (own.realtime.hasSocketsOf(mallory.userId()) && sent < 20_000) {
                own.realtime.send(mallory.userId(), "flood", Map.of("n", sent++, "filler", filler));
            }

            assertThat(own.realtime.hasSocketsOf(mallory.userId())).as("still open after %d messages", sent)
                    .isFalse();
            assertThat(slow.drainsToTheEnd()).isTrue();
        }
    }

    @Test
    void anExpiredSessionIsFoundByTheRecheckAndCloses4401() {
        try (RealtimeInstance own = new RealtimeInstance(dataSource, Fanout.singleInstance(),
                RealtimeInstance.quick())) {
            SignedUp nina = signUp(own.server, "rt-expiry");
            TestSocket socket = ready(own.server, nina);

            own.clock.advance(own.accounts.config().sessions().sessionToken().plus(Duration.ofSeconds(1)));

            assertThat(socket.closeCode()).isEqualTo(4401);
        }
    }

    @Test
    void socketsBeyondTheInstanceCapAreClosedWith1013() {
        Realtime.Limits two = RealtimeInstance.quick();
        two = new Realtime.Limits(2, two.maxPerUser(), two.maxPendingMessages(), two.authTimeout(), two.pingEvery(),
                two.idleAfter(), two.recheckEvery());
        try (RealtimeInstance small = new RealtimeInstance(dataSource, Fanout.singleInstance(), two)) {
            SignedUp oscar = signUp(small.server, "rt-instance-cap");
            ready(small.server, oscar);
            ready(small.server, oscar);
            TestSocket third = TestSocket.open(small.server.base, SOCKET);
            third.authenticate(oscar.token());

            assertThat(third.closeCode()).isEqualTo(1013);
        }
    }
}
