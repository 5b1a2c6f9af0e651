package io.github.accounts.core.session;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.testing.Concurrently.Outcome;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/** Refresh: rotation of both tokens, the racing-tabs grace, theft detection, and the compare-and-set under load. */
@OnEachDatabase
class RefreshTest extends StorageTest {
    @Test
    void refreshRotatesBothTokensAndTheOldPairStopsWorking() {
        TestUser user = TestUsers.signUp(accounts, "rotate");
        IssuedSession old = user.session();

        IssuedSession fresh = accounts.sessions().refresh(old.updateToken());

        assertThat(fresh.id()).isEqualTo(old.id());
        assertThat(fresh.sessionToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(old.sessionToken());
        assertThat(fresh.updateToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(old.updateToken());
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(old.sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(old.updateToken()));
        assertThat(accounts.sessions().authenticate(fresh.sessionToken()).sessionId()).isEqualTo(old.id());
        assertThat(accounts.sessions().refresh(fresh.updateToken()).id()).isEqualTo(old.id());
    }

    @Test
    void rotatedTokenReusedWithinTheGraceIsRefusedAndTheSessionStillWorks() {
        TestUser user = TestUsers.signUp(accounts, "grace");
        IssuedSession fresh = accounts.sessions().refresh(user.session().updateToken());

        t.clock.advance(Duration.ofSeconds(29));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken()));

        assertThat(accounts.sessions().authenticate(fresh.sessionToken()).sessionId()).isEqualTo(fresh.id());
        assertThat(accounts.sessions().refresh(fresh.updateToken()).id()).isEqualTo(fresh.id());
    }

    @Test
    void refreshWithRotatedTokenAfterGraceRevokesSession() {
        TestUser user = TestUsers.signUp(accounts, "stolen");
        SignedIn otherDevice = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        IssuedSession fresh = accounts.sessions().refresh(user.session().updateToken());

        t.clock.advance(Duration.ofSeconds(31));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken()));

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(fresh.sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(fresh.updateToken()));
        var stillSignedIn = accounts.sessions().authenticate(otherDevice.session().sessionToken());
        assertThat(accounts.sessions().list(stillSignedIn)).extracting(SessionInfo::id)
                .containsExactly(otherDevice.session().id());
    }

    @Test
    void refreshWithUnknownOrMalformedTokensIsInvalidUpdateToken() {
        TestUser user = TestUsers.signUp(accounts, "refresh.bad");
        List<String> bad = new ArrayList<>(Arrays.asList("garbage", "x".repeat(10_000),
                user.session().sessionToken(), user.session().updateToken() + "x"));
        for (String token : bad) {
            failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(token));
        }
        for (String missing : Arrays.asList(null, "")) { // a missing field, not a wrong token
            failsWith(ErrorCode.VALIDATION_FAILED, () -> accounts.sessions().refresh(missing));
        }
        assertThat(accounts.sessions().authenticate(user.session().sessionToken()).userId()).isEqualTo(user.id());
    }

    @Test
    void parallelRefreshesOfOneUpdateTokenHaveExactlyOneWinner() {
        TestUser user = TestUsers.signUp(accounts, "race");
        String updateToken = user.session().updateToken();

        List<Outcome<IssuedSession>> outcomes = Concurrently.run(8, i -> accounts.sessions().refresh(updateToken));

        List<IssuedSession> winners = outcomes.stream().filter(Outcome::succeeded).map(Outcome::value).toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded()).hasSize(7).allSatisfy(o ->
                assertThat(o.failure()).isInstanceOfSatisfying(AccountsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UPDATE_TOKEN)));
        IssuedSession winner = winners.get(0);
        assertThat(accounts.sessions().authenticate(winner.sessionToken()).sessionId()).isEqualTo(user.session().id());
        assertThat(accounts.sessions().refresh(winner.updateToken()).id()).isEqualTo(user.session().id());
    }


    @Test
    void anyUpdateTokenTheSessionEverHadRevokesItAfterTheGrace() {
        TestUser user = TestUsers.signUp(accounts, "chain");
        IssuedSession a = user.session();
        IssuedSession b = accounts.sessions().refresh(a.updateToken());
        IssuedSession c = accounts.sessions().refresh(b.updateToken());

        t.clock.advance(Duration.ofSeconds(31));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(a.updateToken()));

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(c.sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(c.updateToken()));
    }
}
