package io.github.accounts.core;

import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/** purgeExpired: rows that can no longer be used go, live ones stay. */
@OnEachDatabase
class PurgeExpiredTest extends StorageTest {
    private boolean sessionExists(long id) {
        return !DatabaseRows.query(t.dataSource, "select id from sessions where id = ?", id).isEmpty();
    }

    private int tokens(TestUser user) {
        return DatabaseRows.query(t.dataSource, "select id from one_time_tokens where user_id = ?", user.id()).size();
    }

    private boolean throttled(String email) {
        return !DatabaseRows.query(t.dataSource, "select id from sign_in_throttle where throttle_key = ?",
                TestAccounts.throttleKeys().account("sign-in", email)).isEmpty();
    }

    @Test
    void purgeDeletesExpiredSessionsAndKeepsLiveOnes() {
        TestUser old = TestUsers.signUp(accounts, "purge.old");
        TestUser refreshed = TestUsers.signUp(accounts, "purge.refreshed");
        t.clock.advance(Duration.ofDays(6));
        accounts.sessions().refresh(refreshed.session().updateToken());
        TestUser young = TestUsers.signUp(accounts, "purge.young");
        t.clock.advance(Duration.ofDays(1));

        assertThat(accounts.purgeExpired()).isPositive();

        assertThat(sessionExists(old.session().id())).isFalse();
        assertThat(sessionExists(refreshed.session().id())).isTrue();
        assertThat(sessionExists(young.session().id())).isTrue();
        assertThat(accounts.sessions().authenticate(young.session().sessionToken()).userId()).isEqualTo(young.id());
    }

    @Test
    void purgeDeletesSessionsPastTheAbsoluteCap() {
        TestUser user = TestUsers.signUp(accounts, "purge.cap");
        IssuedSession session = user.session();
        for (int i = 0; i < 4; i++) {
            t.clock.advance(Duration.ofDays(6));
            session = accounts.sessions().refresh(session.updateToken());
        }
        t.clock.advance(Duration.ofDays(5));
        accounts.purgeExpired();
        assertThat(sessionExists(user.session().id())).isTrue();
        t.clock.advance(Duration.ofDays(1));
        accounts.purgeExpired();
        assertThat(sessionExists(user.session().id())).isFalse();
    }

    @Test
    void purgeDeletesExpiredTokensAndKeepsLiveOnes() {
        TestUser old = TestUsers.signUp(accounts, "purge.token.old");
        TestUser young = TestUsers.signUp(accounts, "purge.token.young");
        accounts.mail().requestPasswordReset(old.email(), ClientInfo.unknown());
        t.clock.advance(Duration.ofMinutes(20));
        String youngToken = Mailbox.next(t, young.email(),
                () -> accounts.mail().requestPasswordReset(young.email(), ClientInfo.unknown())).token();
        t.clock.advance(Duration.ofMinutes(10));

        accounts.purgeExpired();

        assertThat(tokens(old)).isZero();
        assertThat(tokens(young)).isOne();
        accounts.mail().confirmPasswordReset(youngToken, strongPassword(), ClientInfo.unknown());
    }

    @Test
    void purgeDeletesThrottleEntriesOnceTheirWindowAndBlockHavePassed() {
        String blocked = uniqueEmail("purge.blocked");
        String stale = uniqueEmail("purge.stale");
        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(blocked, strongPassword(), ClientInfo.unknown()));
        }
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(stale, strongPassword(), ClientInfo.unknown()));
        t.clock.advance(Duration.ofMinutes(14));
        String recent = uniqueEmail("purge.recent");
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(recent, strongPassword(), ClientInfo.unknown()));
        t.clock.advance(Duration.ofMinutes(1));

        accounts.purgeExpired();

        assertThat(throttled(stale)).isFalse();
        assertThat(throttled(blocked)).isFalse();
        assertThat(throttled(recent)).isTrue();
    }

    @Test
    void purgeDeletesAThrottleEntryASuccessReset() {
        TestUser user = TestUsers.signUp(accounts, "purge.reset");
        String recent = uniqueEmail("purge.reset.other");
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(recent, strongPassword(), ClientInfo.unknown()));
        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        assertThat(throttled(user.email())).isTrue(); // reset in place: failures 0

        accounts.purgeExpired();

        assertThat(throttled(user.email())).isFalse();
        assertThat(throttled(recent)).isTrue();
    }

    @Test
    void purgeKeepsAThrottleEntryWhileItsBlockLasts() {
        String email = uniqueEmail("purge.long.block");
        ThrottleLimits limits = new ThrottleLimits(1, 100, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(10));
        try (TestAccounts custom = new TestAccounts(database, config().withThrottling(limits))) {
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> custom.accounts.signIns().signIn(email, strongPassword(), ClientInfo.unknown()));
            custom.clock.advance(Duration.ofMinutes(5));
            custom.accounts.purgeExpired();
            failsWith(ErrorCode.THROTTLED, () -> custom.accounts.signIns().signIn(email, strongPassword(), ClientInfo.unknown()));
            custom.clock.advance(Duration.ofMinutes(5));
            custom.accounts.purgeExpired();
            assertThat(DatabaseRows.query(custom.dataSource, "select id from sign_in_throttle")).isEmpty();
        }
    }

    @Test
    void purgeWithNothingExpiredDeletesNothing() {
        accounts.purgeExpired();
        TestUser user = TestUsers.signUp(accounts, "purge.nothing");
        assertThat(accounts.purgeExpired()).isZero();
        assertThat(sessionExists(user.session().id())).isTrue();
    }
}
