package io.github.accounts.core.throttle;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An attacker who knows an email floods its sign-in: each refused attempt used to write a {@code session.throttled}
 * row (with whatever user agent it sent), kept 90 days and pushed to the victim's sockets.
 */
@OnEachDatabase
class ThrottledFloodTest extends StorageTest {
    private List<Map<String, String>> throttledRows(TestUser user) {
        return DatabaseRows.query(t.dataSource, "select id, user_agent from account_events where user_id = ? and type = ?",
                user.id(), AccountEvent.THROTTLED);
    }

    @Test
    void twoHundredThrottledSignInsForOneEmailWriteOneRowPerWindowThatCountsThem() {
        TestUser victim = TestUsers.signUp(accounts, "flooded");
        ClientInfo attacker = new ClientInfo("flood/" + "x".repeat(506), "203.0.113.66");
        for (int i = 0; i < accounts.config().throttling().accountFailures(); i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(victim.email(), "not the password", attacker));
        }
        for (int i = 0; i < 200; i++) {
            failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(victim.email(), "not the password", attacker));
        }

        assertThat(throttledRows(victim)).hasSize(1);
        AccountEvent recorded = accounts.events().page(accounts.sessions().authenticate(victim.session().sessionToken()), null, 100)
                .events().stream().filter(e -> e.type().equals(AccountEvent.THROTTLED)).findFirst().orElseThrow();
        assertThat(((Number) recorded.detail().get("attempts")).longValue()).isGreaterThanOrEqualTo(200);
        assertThat(recorded.userAgent()).hasSize(256);

        // The next window starts a row of its own.
        t.clock.advance(accounts.config().throttling().window().plus(Duration.ofSeconds(1)));
        for (int i = 0; i <= accounts.config().throttling().accountFailures(); i++) {
            catchThrowable(() -> accounts.signIns().signIn(victim.email(), "not the password", attacker));
        }
        assertThat(throttledRows(victim)).hasSize(2);
        t.clock.advance(Duration.ofHours(1));
    }

    @Test
    void aUserAgentOf5000CharactersIsStoredCut() {
        String huge = "Mozilla/5.0 " + "A".repeat(5_000 - 12);
        ClientInfo client = new ClientInfo(huge, "203.0.113.67");
        TestUser user = TestUsers.signUp(accounts, "long.agent");

        long session = accounts.signIns().signIn(user.email(), user.password(), client).session().id();

        assertThat(DatabaseRows.one(t.dataSource, "select user_agent from sessions where id = ?", session)
                .get("user_agent")).hasSize(256).startsWith("Mozilla/5.0 AAA");
        assertThat(DatabaseRows.query(t.dataSource, "select user_agent from account_events where session_id = ?",
                session)).isNotEmpty().allSatisfy(row -> assertThat(row.get("user_agent")).hasSize(256));
    }
}
