package io.github.accounts.core.session;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.IssuedSession;
import io.github.accounts.core.SessionInfo;
import io.github.accounts.core.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/** Authenticating, listing and ending sessions through the service. */
@OnEachDatabase
class SessionsTest extends StorageTest {
    private SignedIn signInAgain(TestUser user, String userAgent) {
        t.clock.advance(Duration.ofSeconds(1)); // distinct created_at, for the listing order
        return accounts.signIn(user.email(), user.password(), new ClientInfo(userAgent, "192.0.2.10"));
    }

    @Test
    void authenticateReturnsTheUserAndTheSession() {
        TestUser user = TestUsers.signUp(accounts, "auth");
        Authenticated me = accounts.authenticate(user.session().sessionToken());

        assertThat(me.user()).isEqualTo(user.signedIn().user());
        assertThat(me.userId()).isEqualTo(user.id());
        assertThat(me.sessionId()).isEqualTo(user.session().id());
    }

    @Test
    void authenticateRefusesMissingUnknownAndMalformedTokens() {
        TestUser user = TestUsers.signUp(accounts, "auth.bad");
        String valid = user.session().sessionToken();
        List<String> bad = new ArrayList<>(Arrays.asList(null, "", " ", "garbage", valid + "x", "x".repeat(10_000),
                valid.substring(1), user.session().updateToken()));
        for (String token : bad) {
            failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.authenticate(token));
        }
    }

    @Test
    void signOutEndsOnlyThisSession() {
        TestUser user = TestUsers.signUp(accounts, "signout");
        SignedIn other = signInAgain(user, "Other");

        accounts.signOut(accounts.authenticate(user.session().sessionToken()));

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.authenticate(user.session().sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.refresh(user.session().updateToken()));
        assertThat(accounts.authenticate(other.session().sessionToken()).userId()).isEqualTo(user.id());
    }

    @Test
    void signOutEverywhereEndsEverySessionThisOneIncluded() {
        TestUser user = TestUsers.signUp(accounts, "everywhere");
        SignedIn second = signInAgain(user, "Second");
        SignedIn third = signInAgain(user, "Third");
        TestUser bystander = TestUsers.signUp(accounts, "bystander");

        accounts.signOutEverywhere(accounts.authenticate(second.session().sessionToken()));

        for (SignedIn s : List.of(user.signedIn(), second, third)) {
            failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.authenticate(s.session().sessionToken()));
            failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.refresh(s.session().updateToken()));
        }
        assertThat(accounts.authenticate(bystander.session().sessionToken()).userId()).isEqualTo(bystander.id());
    }

    @Test
    void sessionsListsMyActiveSessionsNewestFirstWithTheCurrentOneMarked() {
        TestUser user = TestUsers.signUp(accounts, "list");
        SignedIn phone = signInAgain(user, "Phone");
        SignedIn laptop = signInAgain(user, "Laptop");
        TestUsers.signUp(accounts, "list.other");

        List<SessionInfo> list = accounts.sessions(accounts.authenticate(phone.session().sessionToken()));

        assertThat(list).extracting(SessionInfo::id)
                .containsExactly(laptop.session().id(), phone.session().id(), user.session().id());
        assertThat(list).extracting(SessionInfo::current).containsExactly(false, true, false);
        SessionInfo listedPhone = list.get(1);
        assertThat(listedPhone.userAgent()).isEqualTo("Phone");
        assertThat(listedPhone.ip()).isEqualTo("192.0.2.10");
        assertThat(listedPhone.expiresAt()).isEqualTo(phone.session().expiresAt());
        assertThat(listedPhone.createdAt()).isEqualTo(listedPhone.lastUsedAt());
    }

    @Test
    void sessionsLeavesOutExpiredSessions() {
        TestUser user = TestUsers.signUp(accounts, "list.expired");
        t.clock.advance(Duration.ofDays(6));
        SignedIn fresh = accounts.signIn(user.email(), user.password(), ClientInfo.unknown());
        t.clock.advance(Duration.ofDays(1));

        assertThat(accounts.sessions(accounts.authenticate(fresh.session().sessionToken())))
                .extracting(SessionInfo::id).containsExactly(fresh.session().id());
    }

    @Test
    void revokeSessionEndsOneOfMine() {
        TestUser user = TestUsers.signUp(accounts, "revoke");
        SignedIn lost = signInAgain(user, "Lost phone");
        Authenticated me = accounts.authenticate(user.session().sessionToken());

        accounts.revokeSession(me, lost.session().id());

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.authenticate(lost.session().sessionToken()));
        assertThat(accounts.sessions(me)).extracting(SessionInfo::id).containsExactly(user.session().id());
    }

    @Test
    void revokeSessionOfAnotherUserIsNotFoundAndLeavesItAlone() {
        TestUser mallory = TestUsers.signUp(accounts, "mallory");
        TestUser victim = TestUsers.signUp(accounts, "victim");
        Authenticated asMallory = accounts.authenticate(mallory.session().sessionToken());

        failsWith(ErrorCode.NOT_FOUND, () -> accounts.revokeSession(asMallory, victim.session().id()));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.revokeSession(asMallory, Long.MAX_VALUE));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.revokeSession(asMallory, -1));
        assertThat(accounts.authenticate(victim.session().sessionToken()).userId()).isEqualTo(victim.id());
    }

    @Test
    void overlongClientInfoIsCutToWhatTheTableHolds() {
        TestUser user = TestUsers.signUp(accounts, "long.agent");
        SignedIn signedIn = accounts.signIn(user.email(), user.password(), new ClientInfo("A".repeat(600), "9".repeat(80)));

        var row = DatabaseRows.one(t.dataSource, "select user_agent, ip from sessions where id = ?", signedIn.session().id());
        assertThat(row.get("user_agent")).isEqualTo("A".repeat(ClientInfo.MAX_USER_AGENT)); // 256, cut by ClientInfo
        assertThat(row.get("ip")).isEqualTo("9".repeat(64));
    }


    @Test
    void aUserHasAtMostAHundredSessionsAndANewSignInEvictsTheLeastRecentlyUsed() {
        TestUser user = TestUsers.signUp(accounts, "cap");
        List<IssuedSession> issued = new ArrayList<>(List.of(user.session()));
        for (int i = 1; i < 100; i++) {
            issued.add(accounts.signIn(user.email(), user.password(), ClientInfo.unknown()).session());
        }
        t.clock.advance(Duration.ofMinutes(2));
        accounts.authenticate(issued.get(0).sessionToken()); // the first becomes the most recently used

        IssuedSession newest = accounts.signIn(user.email(), user.password(), ClientInfo.unknown()).session();

        Authenticated me = accounts.authenticate(newest.sessionToken());
        assertThat(accounts.sessions(me)).hasSize(100);
        assertThat(accounts.authenticate(issued.get(0).sessionToken()).sessionId()).isEqualTo(issued.get(0).id());
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.authenticate(issued.get(1).sessionToken()));
        assertThat(accounts.authenticate(issued.get(2).sessionToken()).sessionId()).isEqualTo(issued.get(2).id());
    }

    @Test
    void theSessionCapIsConfigurable() {
        try (TestAccounts custom = new TestAccounts(database, config().withSessions(config().sessions().withMaxPerUser(2)))) {
            TestUser user = TestUsers.signUp(custom.accounts, "cap.two");
            custom.clock.advance(Duration.ofSeconds(1));
            IssuedSession second = custom.accounts.signIn(user.email(), user.password(), ClientInfo.unknown()).session();
            custom.clock.advance(Duration.ofSeconds(1));
            IssuedSession third = custom.accounts.signIn(user.email(), user.password(), ClientInfo.unknown()).session();

            failsWith(ErrorCode.UNAUTHENTICATED, () -> custom.accounts.authenticate(user.session().sessionToken()));
            assertThat(custom.accounts.sessions(custom.accounts.authenticate(third.sessionToken())))
                    .extracting(SessionInfo::id).containsExactlyInAnyOrder(second.id(), third.id());
        }
    }
}
