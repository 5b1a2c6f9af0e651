package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.testing.RestartablePostgres;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.web.RealtimeTest.SignedUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static io.github.accounts.web.RealtimeTest.ready;
import static io.github.accounts.web.RealtimeTest.signIn;
import static io.github.accounts.web.RealtimeTest.signUp;
import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL server, each with its own accounts, routes and {@link Fanout#postgres}: what
 * happens on one reaches the sockets on the other, also after the database restarted under them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealtimeAcrossInstancesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";

    private RestartablePostgres postgres;
    private HikariDataSource dataSource;
    private RealtimeInstance a;
    private RealtimeInstance b;

    @BeforeAll
    void start() {
        postgres = new RestartablePostgres();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(2_000);
        dataSource = new HikariDataSource(config);
        AccountsSchema.migrate(dataSource);
        a = new RealtimeInstance(dataSource, fanout(), steady());
        b = new RealtimeInstance(dataSource, fanout(), steady());
        awaitDelivery(a, b);
        awaitDelivery(b, a);
    }

    /**
     * The test bounds without the short sweeps: what crosses between instances here must come by the fan-out, not
     * by a re-check that happens to run first, and a client slowed down by a busy machine is not cut off idle.
     */
    private static Realtime.Limits steady() {
        Realtime.Limits q = RealtimeInstance.quick();
        return new Realtime.Limits(q.maxSockets(), q.maxPerUser(), q.maxPendingMessages(), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofHours(1));
    }

    private Fanout fanout() {
        return Fanout.postgres(() -> DriverManager.getConnection(postgres.jdbcUrl()));
    }

    /** Waits until a host message sent on {@code from} reaches a socket on {@code to}: both fan-outs listen. */
    private static void awaitDelivery(RealtimeInstance from, RealtimeInstance to) {
        SignedUp probe = signUp(to.server, "rt-probe");
        TestSocket socket = ready(to.server, probe);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            from.realtime.send(probe.userId(), "probe", Map.of());
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (socket.waiting() > 0) {
                assertThat(socket.next("message").path("topic").asText()).isEqualTo("probe");
                return;
            }
        }
        throw new AssertionError("No message crossed from one instance to the other within a minute");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, dataSource, postgres}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the rest still closes
            }
        }
    }

    @Test
    void anEventOnOneInstanceReachesTheUsersSocketOnTheOther() {
        SignedUp alice = signUp(a.server, "rtx-event");
        TestSocket onB = ready(b.server, alice);

        signIn(a.server, alice);

        assertThat(onB.nextEvent("session.signed_in").path("id").asLong()).isPositive();
    }

    @Test
    void revokingASessionOnOneInstanceClosesItsSocketOnTheOtherWith4401() {
        SignedUp bob = signUp(a.server, "rtx-revoke");
        String other = signIn(a.server, bob);
        TestSocket onB = ready(b.server, bob);

        assertThat(a.server.send("DELETE", "/accounts/sessions/" + bob.sessionId(), null, other).status())
                .isEqualTo(204);

        JsonNode event = onB.nextEvent("session.revoked");
        assertThat(event.path("session_id").asLong()).isEqualTo(bob.sessionId());
        assertThat(event.at("/detail/reason").asText()).isEqualTo("revoked");
        assertThat(onB.closeCode()).isEqualTo(4401);
    }

    @Test
    void deletingTheAccountOnOneInstanceClosesItsSocketsOnTheOtherWith4403() {
        SignedUp carol = signUp(a.server, "rtx-delete");
        TestSocket onB = ready(b.server, carol);

        assertThat(a.server.send("DELETE", "/accounts/users/me", json("password", PASSWORD), carol.token())
                .status()).isEqualTo(204);

        JsonNode event = onB.nextEvent("session.revoked");
        assertThat(event.path("session_id").asLong()).isEqualTo(carol.sessionId());
        assertThat(event.at("/detail/reason").asText()).isEqualTo("account_deleted");
        assertThat(onB.closeCode()).isEqualTo(4403);
    }

    @Test
    void aHostMessageSentOnOneInstanceReachesTheUsersSocketOnTheOther() {
        SignedUp dave = signUp(b.server, "rtx-message");
        TestSocket onA = ready(a.server, dave);

        b.realtime.send(dave.userId(), "inbox", Map.of("unread", 2));

        JsonNode message = onA.next("message");
        assertThat(message.path("topic").asText()).isEqualTo("inbox");
        assertThat(message.at("/data/unread").asInt()).isEqualTo(2);
    }

    /**
     * What {@code call} answers once the pool has given up the connections the restart killed: until then it is
     * {@code unavailable} (503), which changes nothing. A wait with a generous bound, not a timing.
     */
    private static int onceTheDatabaseAnswers(Supplier<Integer> call) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                int status = call.get();
                if (status != 503 || attempt >= 100) {
                    return status;
                }
            } catch (AccountsException e) {
                if (e.code() != ErrorCode.UNAVAILABLE || attempt >= 100) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    /**
     * After a restart the publishing connection of an instance is dead, which only its next use shows; the
     * listening one of the other may come back late. Neither may cost a socket an event or a revocation.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void afterTheDatabaseRestartsNoEventIsLostAndARevocationMadeMeanwhileStillClosesTheSocket() throws Exception {
        AtomicBoolean reachable = new AtomicBoolean(true);
        Fanout gated = Fanout.postgres(() -> {
            if (!reachable.get()) {
                throw new SQLException("The database cannot be reached from this instance (the test says so)");
            }
            return DriverManager.getConnection(postgres.jdbcUrl());
        });
        try (RealtimeInstance listening = new RealtimeInstance(dataSource, gated, steady());
             RealtimeInstance publishing = new RealtimeInstance(dataSource, fanout(), steady());
             Accounts elsewhere = Accounts.builder(dataSource).config(listening.accounts.config())
                     .housekeeping(false).throttleSecret(TestAccounts.THROTTLE_SECRET).build()) {
            awaitDelivery(publishing, listening);
            SignedUp erin = signUp(listening.server, "rtx-restart-revoked");
            SignedUp finn = signUp(listening.server, "rtx-restart-event");
            TestSocket erinsSocket = ready(listening.server, erin);
            TestSocket finnsSocket = ready(listening.server, finn);

            reachable.set(false); // the listening instance's fan-out stays away until the revocation is made
            postgres.stop();
            postgres.start();
            onceTheDatabaseAnswers(() -> { // no socket hears of it now
                elsewhere.sessions().signOut(elsewhere.sessions().authenticate(erin.token()));
                return 204;
            });
            reachable.set(true);

            assertThat(erinsSocket.nextEvent("session.revoked").path("session_id").asLong())
                    .isEqualTo(erin.sessionId());
            assertThat(erinsSocket.closeCode(60)).isEqualTo(4401);
            // The listener is back (its re-check closed Erin's socket); the publisher's first payload since the
            // restart goes out on a connection the restart killed.
            assertThat(onceTheDatabaseAnswers(() -> publishing.server.send("PATCH", "/accounts/users/me",
                    json("fname", "Finn"), finn.token()).status())).isEqualTo(200);
            assertThat(finnsSocket.nextEvent("user.updated").path("id").asLong()).isPositive();
            assertThat(finnsSocket.isClosed()).isFalse();
        }
    }
}
