package io.github.accounts.core.session;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/** The lifetimes of the contract, crossed with the test clock: 7-day session token, 7-day idle, 30-day cap. */
@OnEachDatabase
class SessionLifetimesTest extends StorageTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private Instant lastUsedAt(IssuedSession session) {
        return accounts.sessions().list(accounts.sessions().authenticate(session.sessionToken())).stream()
                .filter(SessionInfo::current).findFirst().orElseThrow().lastUsedAt();
    }

    @Test
    void sessionTokenExpiresSevenDaysAfterIssue() {
        TestUser user = TestUsers.signUp(accounts, "seven.days");
        String token = user.session().sessionToken();

        t.clock.advance(Duration.ofDays(7).minus(SECOND));
        assertThat(accounts.sessions().authenticate(token).userId()).isEqualTo(user.id());
        t.clock.advance(SECOND);
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(token));
    }

    @Test
    void refreshGivesASessionTokenForSevenDaysFromTheRefresh() {
        TestUser user = TestUsers.signUp(accounts, "refresh.extends");
        t.clock.advance(Duration.ofDays(6));
        Instant refreshedAt = t.clock.instant();

        IssuedSession refreshed = accounts.sessions().refresh(user.session().updateToken());

        assertThat(refreshed.expiresAt()).isEqualTo(refreshedAt.plus(Duration.ofDays(7)));
        assertThat(refreshed.refreshExpiresAt()).isEqualTo(refreshedAt.plus(Duration.ofDays(7)));
        t.clock.advance(Duration.ofDays(7).minus(SECOND));
        assertThat(accounts.sessions().authenticate(refreshed.sessionToken()).userId()).isEqualTo(user.id());
        t.clock.advance(SECOND);
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(refreshed.sessionToken()));
    }

    @Test
    void updateTokenIdleForSevenDaysNoLongerRefreshes() {
        TestUser user = TestUsers.signUp(accounts, "idle");
        TestUser control = TestUsers.signUp(accounts, "idle.control");
        t.clock.advance(Duration.ofDays(7).minus(SECOND));
        accounts.sessions().refresh(control.session().updateToken());
        t.clock.advance(SECOND);

        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken()));
    }

    @Test
    void refreshesStopThirtyDaysAfterSignIn() {
        TestUser user = TestUsers.signUp(accounts, "absolute");
        Instant signedInAt = t.clock.instant();
        IssuedSession session = user.session();
        for (int day = 6; day <= 24; day += 6) {
            t.clock.advance(Duration.ofDays(6));
            session = accounts.sessions().refresh(session.updateToken());
        }
        assertThat(session.expiresAt()).isEqualTo(signedInAt.plus(Duration.ofDays(30)));
        assertThat(session.refreshExpiresAt()).isEqualTo(signedInAt.plus(Duration.ofDays(30)));

        t.clock.advance(Duration.ofDays(5));
        session = accounts.sessions().refresh(session.updateToken()); // day 29: idle is fine and the cap not reached
        assertThat(session.expiresAt()).isEqualTo(signedInAt.plus(Duration.ofDays(30)));
        String lastToken = session.sessionToken();
        String lastUpdate = session.updateToken();
        t.clock.advance(Duration.ofDays(1).minus(SECOND));
        assertThat(accounts.sessions().authenticate(lastToken).userId()).isEqualTo(user.id());
        t.clock.advance(SECOND);
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(lastToken));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(lastUpdate));
    }

    @Test
    void lastUsedAtIsWrittenAtMostOncePerMinute() {
        TestUser user = TestUsers.signUp(accounts, "last.used");
        Instant signedUpAt = t.clock.instant();
        IssuedSession session = user.session();

        t.clock.advance(Duration.ofSeconds(59));
        accounts.sessions().authenticate(session.sessionToken());
        assertThat(lastUsedAt(session)).isEqualTo(signedUpAt);

        t.clock.advance(SECOND);
        accounts.sessions().authenticate(session.sessionToken());
        Instant minuteLater = t.clock.instant();
        assertThat(lastUsedAt(session)).isEqualTo(minuteLater);

        t.clock.advance(Duration.ofSeconds(30));
        accounts.sessions().authenticate(session.sessionToken());
        assertThat(lastUsedAt(session)).isEqualTo(minuteLater);
    }

    @Test
    void asvsLevel2ProfileEndsIdleSessionsAfterThirtyMinutesAndAllAfterTwelveHours() {
        AccountsConfig asvs = AccountsConfig.asvsLevel2().withHashing(TestAccounts.CHEAP_HASHING);
        try (TestAccounts strict = new TestAccounts(database, asvs)) {
            TestUser user = TestUsers.signUp(strict.accounts, "asvs");
            TestUser idle = TestUsers.signUp(strict.accounts, "asvs.idle");
            assertThat(user.session().expiresAt()).isEqualTo(strict.clock.instant().plus(Duration.ofMinutes(30)));

            strict.clock.advance(Duration.ofMinutes(30));
            failsWith(ErrorCode.UNAUTHENTICATED, () -> strict.accounts.sessions().authenticate(idle.session().sessionToken()));
            failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> strict.accounts.sessions().refresh(idle.session().updateToken()));

            IssuedSession session = strict.accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).session();
            Instant cap = strict.clock.instant().plus(Duration.ofHours(12));
            while (strict.clock.instant().plus(Duration.ofMinutes(29)).isBefore(cap)) {
                strict.clock.advance(Duration.ofMinutes(29));
                session = strict.accounts.sessions().refresh(session.updateToken());
            }
            assertThat(session.expiresAt()).isEqualTo(cap);
            String lastUpdate = session.updateToken();
            strict.clock.advance(Duration.between(strict.clock.instant(), cap));
            failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> strict.accounts.sessions().refresh(lastUpdate));
        }
    }
}
