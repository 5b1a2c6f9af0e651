package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.RealtimeTest.SignedUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.accounts.web.RealtimeTest.signIn;
import static io.github.accounts.web.RealtimeTest.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL database, each with its own accounts, routes and {@link Fanout#postgres}: an event
 * made on one reaches the official Socket.IO client connected to the other, and a revocation there disconnects it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoAcrossInstancesTest {
    private HikariDataSource dataSource;
    private RealtimeInstance a;
    private RealtimeInstance b;
    private final List<SocketIoNode> clients = new ArrayList<>();

    @BeforeAll
    void start() {
        SocketIoNode.install();
        dataSource = TestDatabase.POSTGRES.freshMigratedDataSource();
        String url = dataSource.getJdbcUrl();
        a = new RealtimeInstance(dataSource, Fanout.postgres(() -> DriverManager.getConnection(url)),
                SocketIoTest.LIMITS);
        b = new RealtimeInstance(dataSource, Fanout.postgres(() -> DriverManager.getConnection(url)),
                SocketIoTest.LIMITS);
        awaitDelivery(a, b);
    }

    @AfterAll
    void stop() {
        clients.forEach(SocketIoNode::close);
        for (AutoCloseable c : new AutoCloseable[] {a, b, dataSource}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the rest still closes
            }
        }
    }

    private SocketIoNode ready(RealtimeInstance on, SignedUp user) {
        SocketIoNode client = SocketIoNode.connect(Map.of("url", on.server.base, "path", "/accounts/socket.io",
                "auth", Map.of("session_token", user.token())));
        clients.add(client);
        client.next("connect");
        client.until("ready", new ArrayList<>());
        return client;
    }

    /** Waits until a host message sent on {@code from} reaches a client on {@code to}: both fan-outs listen. */
    private void awaitDelivery(RealtimeInstance from, RealtimeInstance to) {
        SignedUp probe = signUp(to.server, "sio-probe");
        SocketIoNode client = ready(to, probe);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            from.realtime.send(probe.userId(), "probe", Map.of());
            for (JsonNode line = client.poll(200); line != null; line = client.poll(0)) {
                if (line.path("on").asText().equals("message")) {
                    return;
                }
            }
        }
        throw new AssertionError("No message crossed from one instance to the other within a minute");
    }

    @Test
    void anEventMadeOnOneInstanceReachesTheClientOnTheOther() {
        SignedUp alice = signUp(a.server, "siox-event");
        SocketIoNode onB = ready(b, alice);

        signIn(a.server, alice);

        assertThat(onB.nextEvent("session.signed_in").path("id").asLong()).isPositive();
    }

    @Test
    void revokingTheSessionOnOneInstanceDisconnectsTheClientOnTheOther() {
        SignedUp bob = signUp(a.server, "siox-revoke");
        String other = signIn(a.server, bob);
        SocketIoNode onB = ready(b, bob);

        assertThat(a.server.send("DELETE", "/accounts/sessions/" + bob.sessionId(), null, other).status())
                .isEqualTo(204);

        JsonNode event = onB.nextEvent("session.revoked");
        assertThat(event.path("session_id").asLong()).isEqualTo(bob.sessionId());
        assertThat(onB.until("disconnect", new ArrayList<>()).path("reason").asText()).isEqualTo("io server disconnect");
    }
}
