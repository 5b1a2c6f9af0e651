package io.github.accounts.web;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.RealtimeTest.SignedUp;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth timeout and an {@code authenticate} message decide once which of them came first: a message that came
 * in time is answered however long checking its token takes. On PostgreSQL only: the check is held up by a row
 * lock on the session, which H2 would give up on after a second.
 */
class RealtimeAuthTimeoutTest {
    private static final Duration AUTH_TIMEOUT = Duration.ofMillis(300);

    /** The test timings, with the timeout short and no ping or idle cut-off while the check waits. */
    private static Realtime.Limits shortAuthTimeout() {
        Realtime.Limits q = RealtimeInstance.quick();
        return new Realtime.Limits(q.maxSockets(), q.maxPerUser(), q.maxPendingMessages(), AUTH_TIMEOUT,
                Duration.ofMinutes(1), Duration.ofMinutes(2), q.recheckEvery());
    }

    @Test
    void anAuthenticateMessageInTimeGetsReadyEvenWhenItsCheckOutlastsTheTimeout() throws Exception {
        try (HikariDataSource dataSource = TestDatabase.POSTGRES.freshMigratedDataSource();
             RealtimeInstance app = new RealtimeInstance(dataSource, Fanout.singleInstance(), shortAuthTimeout())) {
            SignedUp user = RealtimeTest.signUp(app.server, "rt-auth-race");
            app.clock.advance(Duration.ofMinutes(5)); // last use stale: checking the token writes the session's row
            TestSocket socket;
            try (Connection holder = dataSource.getConnection()) {
                holder.setAutoCommit(false);
                try (PreparedStatement lock = holder.prepareStatement("select id from sessions where id = ? for update")) {
                    lock.setLong(1, user.sessionId());
                    lock.executeQuery().close();
                }
                socket = TestSocket.open(app.server.base, RealtimeTest.SOCKET);
                socket.authenticate(user.token()); // in time; its check now waits for the lock
                Thread.sleep(AUTH_TIMEOUT.multipliedBy(5).toMillis()); // the timeout fires meanwhile
                holder.commit();
            }

            assertThat(socket.next().path("type").asText()).isEqualTo("ready");
            assertThat(app.realtime.hasSocketsOf(user.userId())).isTrue();
        }
    }
}
