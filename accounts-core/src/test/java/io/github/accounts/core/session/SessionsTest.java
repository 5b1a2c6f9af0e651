package io.github.accounts.core.session;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
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
        return accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(userAgent, "192.0.2.10"));
    }

    @Test
    void authenticateReturnsTheUserAndTheSession() {
        TestUser user = TestUsers.signUp(accounts, "auth");
        Authenticated me = accounts.sessions().authenticate(user.session().sessionToken());

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
            failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(token));
        }
    }

    @Test
    void signOutEndsOnlyThisSession() {
        TestUser user = TestUsers.signUp(accounts, "signout");
        SignedIn other = signInAgain(user, "Other");

        accounts.sessions().signOut(accounts.sessions().authenticate(user.session().sessionToken()));

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(user.session().sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken()));
        assertThat(accounts.sessions().authenticate(other.session().sessionToken()).userId()).isEqualTo(user.id());
    }

    @Test
    void signOutEverywhereEndsEverySessionThisOneIncluded() {
        TestUser user = TestUsers.signUp(accounts, "everywhere");
        SignedIn second = signInAgain(user, "Second");
        SignedIn third = signInAgain(user, "Third");
        TestUser bystander = TestUsers.signUp(accounts, "bystander");

        accounts.sessions().signOutEverywhere(accounts.sessions().authenticate(second.session().sessionToken()));

        for (SignedIn s : List.of(user.signedIn(), second, third)) {
            failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(s.session().sessionToken()));
            failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(s.session().updateToken()));
        }
        assertThat(accounts.sessions().authenticate(bystander.session().sessionToken()).userId()).isEqualTo(bystander.id());
    }

    @Test
    void sessionsListsMyActiveSessionsNewestFirstWithTheCurrentOneMarked() {
        TestUser user = TestUsers.signUp(accounts, "list");
        SignedIn phone = signInAgain(user, "Phone");
        SignedIn laptop = signInAgain(user, "Laptop");
        TestUsers.signUp(accounts, "list.other");

        List<SessionInfo> list = accounts.sessions().list(accounts.sessions().authenticate(phone.session().sessionToken()));

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
        SignedIn fresh = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        t.clock.advance(Duration.ofDays(1));

        assertThat(accounts.sessions().list(accounts.sessions().authenticate(fresh.session().sessionToken())))
                .extracting(SessionInfo::id).containsExactly(fresh.session().id());
    }

    @Test
    void revokeSessionEndsOneOfMine() {
        TestUser user = TestUsers.signUp(accounts, "revoke");
        SignedIn lost = signInAgain(user, "Lost phone");
        Authenticated me = accounts.sessions().authenticate(user.session().sessionToken());

        accounts.sessions().revoke(me, lost.session().id());

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(lost.session().sessionToken()));
        assertThat(accounts.sessions().list(me)).extracting(SessionInfo::id).containsExactly(user.session().id());
    }

    @Test
    void revokeSessionOfAnotherUserIsNotFoundAndLeavesItAlone() {
        TestUser mallory = TestUsers.signUp(accounts, "mallory");
        TestUser victim = TestUsers.signUp(accounts, "victim");
        Authenticated asMallory = accounts.sessions().authenticate(mallory.session().sessionToken());

        failsWith(ErrorCode.NOT_FOUND, () -> accounts.sessions().revoke(asMallory, victim.session().id()));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.sessions().revoke(asMallory, Long.MAX_VALUE));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.sessions().revoke(asMallory, -1));
        assertThat(accounts.sessions().authenticate(victim.session().sessionToken()).userId()).isEqualTo(victim.id());
    }

    @Test
    void overlongClientInfoIsCutToWhatTheTableHolds() {
        TestUser user = TestUsers.signUp(accounts, "long.agent");
        SignedIn signedIn = accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("A".repeat(600), "9".repeat(80)));

        var row = DatabaseRows.one(t.dataSource, "select user_agent, ip from sessions where id = ?", signedIn.session().id());
        assertThat(row.get("user_agent")).isEqualTo("A".repeat(ClientInfo.MAX_USER_AGENT)); // 256, cut by ClientInfo
        assertThat(row.get("ip")).isEqualTo("9".repeat(64));
    }


    @Test
    void aUserHasAtMostAHundredSessionsAndANewSignInEvictsTheLeastRecentlyUsed() {
        TestUser user = TestUsers.signUp(accounts, "cap");
        List<IssuedSession> issued = new ArrayList<>(List.of(user.session()));
        for (int i = 1; i < 100; i++) {
            issued.add(accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).session());
        }
        t.clock.advance(Duration.ofMinutes(2));
        accounts.sessions().authenticate(issued.get(0).sessionToken()); // the first becomes the most recently used

        IssuedSession newest = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).session();

        Authenticated me = accounts.sessions().authenticate(newest.sessionToken());
        assertThat(accounts.sessions().list(me)).hasSize(100);
        assertThat(accounts.sessions().authenticate(issued.get(0).sessionToken()).sessionId()).isEqualTo(issued.get(0).id());
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(issued.get(1).sessionToken()));
        assertThat(accounts.sessions().authenticate(issued.get(2).sessionToken()).sessionId()).isEqualTo(issued.get(2).id());
    }

    @Test
    void theSessionCapIsConfigurable() {
        try (TestAccounts custom = new TestAccounts(database, config().withSessions(config().sessions().withMaxPerUser(2)))) {
            TestUser user = TestUsers.signUp(custom.accounts, "cap.two");
            custom.clock.advance(Duration.ofSeconds(1));
            IssuedSession second = custom.accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).session();
            custom.clock.advance(Duration.ofSeconds(1));
            IssuedSession third = custom.accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).session();

            failsWith(ErrorCode.UNAUTHENTICATED, () -> custom.accounts.sessions().authenticate(user.session().sessionToken()));
            assertThat(custom.accounts.sessions().list(custom.accounts.sessions().authenticate(third.sessionToken())))
                    .extracting(SessionInfo::id).containsExactlyInAnyOrder(second.id(), third.id());
        }
    }
}
