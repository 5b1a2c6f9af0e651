package io.github.accounts.core.event;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Account events: one per change, in the change's transaction, read newest first, told to listeners after commit. */
@OnEachDatabase
public class EventsTest extends StorageTest {
    private static final ClientInfo PHONE = new ClientInfo("phone/1.0", "203.0.113.9");

    @Override
    protected AccountsConfig config() {
        AccountsConfig base = super.config();
        return base.withSessions(base.sessions().withMaxPerUser(3));
    }

    private List<AccountEvent> events(TestUser user) {
        return accounts.events().page(me(user), null, 100).events();
    }

    private Authenticated me(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    private static List<String> types(List<AccountEvent> events) {
        return events.stream().map(AccountEvent::type).toList();
    }

    @Test
    void signUpFailedAndSuccessfulSignInsAreRecordedNewestFirst() {
        TestUser user = TestUsers.signUp(accounts, "events.signin");
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "not the password at all", PHONE));
        SignedIn phone = accounts.signIns().signIn(user.email(), user.password(), PHONE);

        assertThat(events(user)).extracting(AccountEvent::type, AccountEvent::sessionId, AccountEvent::ip,
                AccountEvent::userAgent).containsExactly(
                tuple(AccountEvent.SIGNED_IN, phone.session().id(), "203.0.113.9", "phone/1.0"),
                tuple(AccountEvent.SIGN_IN_FAILED, null, "203.0.113.9", "phone/1.0"),
                tuple(AccountEvent.USER_SIGNED_UP, user.session().id(), null, null));
        assertThat(events(user)).allSatisfy(e -> {
            assertThat(e.userId()).isEqualTo(user.id());
            assertThat(e.detail()).isEqualTo(e.type().equals(AccountEvent.SIGNED_IN) ? Map.of("method", "password")
                    : Map.of());
        });
    }

    @Test
    void aThrottledSignInOfAKnownAccountIsRecorded() {
        TestUser user = TestUsers.signUp(accounts, "events.throttled");
        for (int i = 0; i < accounts.config().throttling().accountFailures(); i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "a wrong password here", PHONE));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), PHONE));

        assertThat(types(events(user))).first().isEqualTo(AccountEvent.THROTTLED);
        t.clock.advance(Duration.ofHours(1));
    }

    @Test
    void everyRevocationIsRecordedWithItsReason() {
        TestUser user = TestUsers.signUp(accounts, "events.revoked");
        SignedIn second = accounts.signIns().signIn(user.email(), user.password(), PHONE);
        SignedIn third = accounts.signIns().signIn(user.email(), user.password(), PHONE);
        SignedIn fourth = accounts.signIns().signIn(user.email(), user.password(), PHONE); // over the cap of 3: evicts one
        Authenticated current = accounts.sessions().authenticate(fourth.session().sessionToken());
        accounts.sessions().revoke(current, third.session().id());
        accounts.sessions().signOut(accounts.sessions().authenticate(second.session().sessionToken()));
        SignedIn fifth = accounts.signIns().signIn(user.email(), user.password(), PHONE);
        accounts.sessions().signOutEverywhere(current);

        List<AccountEvent> revoked = accounts.events().page(accounts.sessions().authenticate(
                        accounts.signIns().signIn(user.email(), user.password(), PHONE).session().sessionToken()), null, 100)
                .events().stream().filter(e -> e.type().equals(AccountEvent.SESSION_REVOKED)).toList();
        assertThat(revoked).extracting(e -> e.detail().get("reason"), AccountEvent::sessionId).containsExactly(
                tuple("sign_out_everywhere", fifth.session().id()),
                tuple("sign_out_everywhere", fourth.session().id()),
                tuple("sign_out", second.session().id()),
                tuple("revoked", third.session().id()),
                tuple("evicted", user.session().id()));
    }

    @Test
    void passwordChangeProfileUpdateAndVerificationAreRecorded() {
        TestUser user = TestUsers.signUp(accounts, "events.profile");
        SignedIn other = accounts.signIns().signIn(user.email(), user.password(), PHONE);
        Authenticated me = me(user);
        accounts.profile().update(me, "Grace", null);
        accounts.profile().changePassword(me, user.password(), TestUsers.strongPassword());
        accounts.mail().requestEmailVerification(me);
        accounts.mail().confirmEmailVerification(t.lastMailTo(user.email()).token());

        List<AccountEvent> events = events(user);
        assertThat(types(events)).startsWith(AccountEvent.EMAIL_VERIFIED, AccountEvent.SESSION_REVOKED,
                AccountEvent.PASSWORD_CHANGED, AccountEvent.USER_UPDATED);
        assertThat(events.get(1).detail()).isEqualTo(Map.of("reason", "password_changed"));
        assertThat(events.get(1).sessionId()).isEqualTo(other.session().id());
        assertThat(events.get(2).sessionId()).isEqualTo(user.session().id());
    }

    @Test
    void aPasswordResetAndATokenReuseAreRecorded() {
        TestUser user = TestUsers.signUp(accounts, "events.reset");
        IssuedSession rotated = accounts.sessions().refresh(user.session().updateToken());
        t.clock.advance(Duration.ofMinutes(1));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken()));
        SignedIn again = accounts.signIns().signIn(user.email(), user.password(), PHONE);
        String newPassword = TestUsers.strongPassword();
        accounts.mail().requestPasswordReset(user.email(), PHONE);
        accounts.mail().confirmPasswordReset(t.lastMailTo(user.email()).token(), newPassword, ClientInfo.unknown());
        SignedIn last = accounts.signIns().signIn(user.email(), newPassword, PHONE);

        List<AccountEvent> events = accounts.events().page(accounts.sessions().authenticate(last.session().sessionToken()), null, 100)
                .events();
        assertThat(events).extracting(AccountEvent::type, e -> e.detail().get("reason"), AccountEvent::sessionId)
                .contains(tuple(AccountEvent.SESSION_REVOKED, "token_reuse", rotated.id()),
                        tuple(AccountEvent.SESSION_REVOKED, "password_reset", again.session().id()),
                        tuple(AccountEvent.PASSWORD_RESET, null, null));
    }

    @Test
    void pagesFollowTheNextCursorAndTheLimitIsChecked() {
        TestUser user = TestUsers.signUp(accounts, "events.pages");
        for (int i = 0; i < 4; i++) {
            accounts.profile().update(me(user), "Name " + i, null);
        }
        EventPage first = accounts.events().page(me(user), null, 2);
        EventPage second = accounts.events().page(me(user), first.next(), 2);
        EventPage third = accounts.events().page(me(user), second.next(), 2);

        assertThat(first.events()).hasSize(2);
        assertThat(first.events().get(0).id()).isGreaterThan(first.events().get(1).id());
        assertThat(second.events().get(0).id()).isLessThan(first.events().get(1).id());
        assertThat(third.events()).extracting(AccountEvent::type).containsExactly(AccountEvent.USER_SIGNED_UP);
        assertThat(third.next()).isNull();
        failsValidation(() -> accounts.events().page(me(user), null, 0), "limit", "out_of_range");
        failsValidation(() -> accounts.events().page(me(user), null, 101), "limit", "out_of_range");
        failsValidation(() -> accounts.events().page(me(user), 0L, 10), "before", "out_of_range");
    }

    @Test
    void aForcedRollbackLeavesNeitherTheChangeNorTheEvent() {
        TestUser user = TestUsers.signUp(accounts, "events.rollback");
        // Other tests' rows already hold these types: the check refuses them for this user only.
        DatabaseRows.update(t.dataSource, "alter table account_events add constraint ck_test_no_updates check (user_id <> "
                + user.id() + " or (type <> 'user.updated' and type <> 'password.changed'))");
        try {
            failsWith(ErrorCode.INTERNAL_ERROR, () -> accounts.profile().update(me(user), "Rolled", null));
            failsWith(ErrorCode.INTERNAL_ERROR,
                    () -> accounts.profile().changePassword(me(user), user.password(), TestUsers.strongPassword()));
        } finally {
            DatabaseRows.update(t.dataSource, "alter table account_events drop constraint ck_test_no_updates");
        }
        assertThat(accounts.profile().me(me(user)).fname()).isEqualTo(TestUsers.FNAME);
        accounts.signIns().signIn(user.email(), user.password(), PHONE); // the password did not change
        assertThat(types(events(user))).containsExactly(AccountEvent.SIGNED_IN, AccountEvent.USER_SIGNED_UP);
    }

    @Test
    void listenersHearCommittedEventsAndASecondInstanceReadsThem() throws InterruptedException {
        BlockingQueue<AccountEvent> heard = new LinkedBlockingQueue<>();
        try (Accounts second = Accounts.builder(t.emf).config(config()).clock(t.clock)
                .throttleSecret(TestAccounts.THROTTLE_SECRET).eventListener(heard::add).build()) {
            TestUser user = TestUsers.signUp(second, "events.listener");
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> second.signIns().signIn(user.email(), "not the password at all", PHONE));

            assertThat(heard.poll(10, TimeUnit.SECONDS)).extracting(AccountEvent::type)
                    .isEqualTo(AccountEvent.USER_SIGNED_UP);
            assertThat(heard.poll(10, TimeUnit.SECONDS)).extracting(AccountEvent::type)
                    .isEqualTo(AccountEvent.SIGN_IN_FAILED);
            assertThat(types(events(user))).containsExactly(AccountEvent.SIGN_IN_FAILED, AccountEvent.USER_SIGNED_UP);
        }
    }

    @Test
    void eventsPastTheRetentionArePurgedAndADeletedAccountsEventsGoWithIt() {
        TestUser old = TestUsers.signUp(accounts, "events.old");
        t.clock.advance(Duration.ofDays(91));
        TestUser young = TestUsers.signUp(accounts, "events.young");
        SignedIn oldAgain = accounts.signIns().signIn(old.email(), old.password(), PHONE);
        accounts.purgeExpired();

        assertThat(types(accounts.events().page(accounts.sessions().authenticate(oldAgain.session().sessionToken()), null, 10).events()))
                .containsExactly(AccountEvent.SIGNED_IN);
        accounts.profile().deleteAccount(me(young), young.password());
        assertThat(DatabaseRows.query(t.dataSource, "select id from account_events where user_id = ?", young.id()))
                .isEmpty();
    }
}
