package io.github.accounts.web;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.RealtimeTest.SignedUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.accounts.web.RealtimeTest.SOCKET;
import static io.github.accounts.web.RealtimeTest.ready;
import static io.github.accounts.web.RealtimeTest.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sockets that have not authenticated yet, opened by an attacker by the hundred: bounded per client address, kept
 * in a budget of their own so that signed-in users still get in, and closed when they stay silent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeAnonymousSocketsTest {
    private HikariDataSource dataSource;

    @BeforeAll
    void start() {
        dataSource = TestDatabase.H2.freshMigratedDataSource();
    }

    @AfterAll
    void stop() {
        dataSource.close();
    }

    /** The test timings, with no cut-off while the attacker's sockets wait to be counted. */
    private static Realtime.Limits patient(int maxSockets) {
        Realtime.Limits q = RealtimeInstance.quick();
        return new Realtime.Limits(maxSockets, q.maxPerUser(), q.maxPendingMessages(), Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofMinutes(2), q.recheckEvery());
    }

    private static TestSocket anonymous(RealtimeInstance app, String clientAddress) {
        return TestSocket.open(app.server.base, SOCKET, "X-Forwarded-For", clientAddress);
    }

    @Test
    void theSeventeenthAnonymousSocketFromOneAddressIsRefusedWhileAnotherAddressStillConnects() {
        try (RealtimeInstance app = new RealtimeInstance(dataSource, Fanout.singleInstance(), patient(1_000))) {
            List<TestSocket> held = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                held.add(anonymous(app, "198.51.100.7"));
            }

            TestSocket seventeenth = anonymous(app, "198.51.100.7");

            assertThat(seventeenth.closeCode()).isEqualTo(1008);
            assertThat(held).noneMatch(TestSocket::isClosed);
            SignedUp neighbour = signUp(app.server, "rt-anon-neighbour");
            TestSocket other = anonymous(app, "198.51.100.8");
            other.authenticate(neighbour.token());
            assertThat(other.next().path("type").asText()).isEqualTo("ready");
            held.get(0).abort();
            for (int i = 0; i < 600 && app.realtime.openSockets() > 16; i++) {
                sleep(50); // until the server has seen it go: a wait, not a timing
            }
            TestSocket again = anonymous(app, "198.51.100.7");
            again.authenticate(neighbour.token());
            assertThat(again.next().path("type").asText()).as("the place it left is free again").isEqualTo("ready");
        }
    }

    @Test
    void a150AnonymousSocketsDoNotPushOutAnAuthenticatedOne() {
        try (RealtimeInstance app = new RealtimeInstance(dataSource, Fanout.singleInstance(), patient(2))) {
            SignedUp ada = signUp(app.server, "rt-anon-ada");
            TestSocket before = ready(app.server, ada);
            List<TestSocket> flood = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                flood.add(anonymous(app, "203.0.113." + (i / 15)));
            }

            TestSocket after = anonymous(app, "192.0.2.1");
            after.authenticate(ada.token());

            assertThat(after.next().path("type").asText()).isEqualTo("ready");
            assertThat(before.isClosed()).isFalse();
            assertThat(flood).noneMatch(TestSocket::isClosed); // they wait, in places of their own
            TestSocket third = anonymous(app, "192.0.2.2");
            third.authenticate(ada.token());
            assertThat(third.closeCode()).as("the authenticated cap is the host's, anonymous sockets aside")
                    .isEqualTo(1013);
        }
    }

    @Test
    void anonymousSocketsBeyondTheirOwnBudgetAreRefusedAndACookieSocketStillGetsIn() {
        Realtime.Limits small = patient(10).withUnauthenticated(20, 16);
        try (RealtimeInstance app = new RealtimeInstance(dataSource, Fanout.singleInstance(), small)) {
            List<TestSocket> flood = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                flood.add(anonymous(app, "203.0.113." + i));
            }

            assertThat(anonymous(app, "203.0.113.99").closeCode()).isEqualTo(1013);
            SignedUp bo = signUp(app.server, "rt-anon-cookie");
            TestSocket cookie = TestSocket.open(app.server.base, SOCKET, "Cookie",
                    "__Host-accounts_session=" + bo.token(), "Origin", app.server.base);
            assertThat(cookie.next().path("type").asText()).isEqualTo("ready");
        }
    }

    @Test
    void anAnonymousSocketSilentForThreeSecondsIsClosedWith4401() {
        assertThat(Realtime.Limits.DEFAULT.authTimeout()).isEqualTo(Duration.ofSeconds(3));
        try (RealtimeInstance app = new RealtimeInstance(dataSource, Fanout.singleInstance(),
                Realtime.Limits.DEFAULT)) {
            TestSocket silent = anonymous(app, "198.51.100.9");

            assertThat(silent.closeCode(30)).isEqualTo(RealtimeSockets.UNAUTHENTICATED);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
