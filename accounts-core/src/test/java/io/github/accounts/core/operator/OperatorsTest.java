package io.github.accounts.core.operator;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What operators do to accounts: disable and enable, sign out, clear the back-off, list; each one an event. */
@OnEachDatabase
class OperatorsTest extends StorageTest {

    private Authenticated operator() {
        TestUser op = TestUsers.signUp(accounts, "operator");
        return accounts.sessions().authenticate(op.session().sessionToken());
    }

    private List<AccountEvent> events(TestUser user) {
        return accounts.operators().userEvents(user.id(), null, 100).events();
    }

    @Test
    void aDisabledAccountCannotSignInRefreshOrReset() {
        TestUser user = TestUsers.signUp(accounts, "disabled");
        Authenticated op = operator();
        accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
        String resetToken = t.lastMailTo(user.email()).token();

        ManagedUser disabled = accounts.operators().disableUser(op, user.id(), "  compromised  ");

        assertThat(disabled.disabled()).isTrue();
        assertThat(disabled.disabledReason()).isEqualTo("compromised");
        assertThat(disabled.sessions()).isZero();
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(user.session().sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken()));
        failsWith(ErrorCode.ACCOUNT_DISABLED, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.signIns().signIn(user.email(), "a wrong password, surely", ClientInfo.unknown()));
        failsWith(ErrorCode.ACCOUNT_DISABLED,
                () -> accounts.mail().confirmPasswordReset(resetToken, TestUsers.strongPassword(), ClientInfo.unknown()));
        assertThat(events(user)).extracting(AccountEvent::type, e -> e.detail().get("reason"),
                        e -> e.detail().get("actor_user_id"))
                .contains(tuple(AccountEvent.USER_DISABLED, "compromised", op.userId()),
                        tuple(AccountEvent.SESSION_REVOKED, "disabled", op.userId()));
    }

    @Test
    void throttlingStillAppliesToADisabledAccount() {
        TestUser user = TestUsers.signUp(accounts, "disabled.throttled");
        accounts.operators().disableUser(operator(), user.id(), null);
        for (int i = 0; i < accounts.config().throttling().accountFailures(); i++) {
            failsWith(ErrorCode.ACCOUNT_DISABLED,
                    () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
        t.clock.advance(Duration.ofHours(1));
    }

    @Test
    void anEnabledAccountSignsInAgain() {
        TestUser user = TestUsers.signUp(accounts, "enabled");
        Authenticated op = operator();
        accounts.operators().disableUser(op, user.id(), "a mistake");

        ManagedUser enabled = accounts.operators().enableUser(op, user.id());

        assertThat(enabled.disabled()).isFalse();
        assertThat(enabled.disabledReason()).isNull();
        SignedIn again = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        assertThat(accounts.operators().user(user.id()).sessions()).isEqualTo(1);
        assertThat(accounts.sessions().authenticate(again.session().sessionToken()).userId()).isEqualTo(user.id());
        assertThat(events(user)).extracting(AccountEvent::type).contains(AccountEvent.USER_ENABLED);
    }

    @Test
    void forcedSignOutAndClearedBackOffAreRecordedWithTheActor() {
        TestUser user = TestUsers.signUp(accounts, "forced");
        Authenticated op = operator();
        for (int i = 0; i < accounts.config().throttling().accountFailures(); i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS,
                    () -> accounts.signIns().signIn(user.email(), "a wrong password, surely", ClientInfo.unknown()));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));

        accounts.operators().signOutUser(op, user.id());
        accounts.operators().clearSignInThrottle(op, user.id());

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(user.session().sessionToken()));
        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        assertThat(events(user)).extracting(AccountEvent::type, AccountEvent::detail).contains(
                tuple(AccountEvent.SESSION_REVOKED, Map.of("reason", "admin", "actor_user_id", op.userId())),
                tuple(AccountEvent.THROTTLE_CLEARED, Map.of("actor_user_id", op.userId())));
    }

    @Test
    void usersAreListedByEmailPrefixInPages() {
        String prefix = "Listed." + System.nanoTime();
        List<TestUser> users = List.of(TestUsers.signUp(accounts, prefix), TestUsers.signUp(accounts, prefix),
                TestUsers.signUp(accounts, prefix));
        TestUsers.signUp(accounts, "unlisted");

        UserPage first = accounts.operators().users(prefix, null, 2);
        UserPage second = accounts.operators().users(prefix.toUpperCase(), first.next(), 2);

        assertThat(first.users()).extracting(u -> u.user().id()).containsExactly(users.get(0).id(), users.get(1).id());
        assertThat(second.users()).extracting(u -> u.user().id()).containsExactly(users.get(2).id());
        assertThat(second.next()).isNull();
        assertThat(second.users().get(0).sessions()).isEqualTo(1);
        assertThat(accounts.operators().users("no_such%", null, 10).users()).isEmpty();
        failsValidation(() -> accounts.operators().users(null, null, 0), "limit", "out_of_range");
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.operators().user(Long.MAX_VALUE));
    }

    @Test
    void anOperatorDisablingItselfIsRefusedAndStaysEnabled() {
        TestUser op = TestUsers.signUp(accounts, "operator.alone");
        Authenticated self = accounts.sessions().authenticate(op.session().sessionToken());

        failsWith(ErrorCode.FORBIDDEN, () -> accounts.operators().disableUser(self, op.id(), "locking everyone out"));

        assertThat(accounts.operators().user(op.id()).disabled()).isFalse();
        assertThat(accounts.sessions().authenticate(op.session().sessionToken()).userId()).isEqualTo(op.id());
        assertThat(events(op)).extracting(AccountEvent::type).doesNotContain(AccountEvent.USER_DISABLED);
    }

    @Test
    void anAdminActionIsKeptWithTheOperatorsDeviceOnTheOperatorsOwnAccountAfterTheTargetIsDeleted() {
        TestUser target = TestUsers.signUp(accounts, "operated.on");
        TestUser op = TestUsers.signUp(accounts, "operator.device");
        ClientInfo console = new ClientInfo("OpsConsole/2.0", "203.0.113.77");

        accounts.operators().signOutUser(accounts.sessions().authenticate(op.session().sessionToken()), target.id(), console);
        accounts.operators().clearSignInThrottle(accounts.sessions().authenticate(op.session().sessionToken()), target.id(), console);
        assertThat(events(target)).filteredOn(e -> e.type().equals(AccountEvent.THROTTLE_CLEARED)).singleElement()
                .satisfies(e -> assertThat(List.of(e.ip(), e.userAgent())).containsExactly("203.0.113.77", "OpsConsole/2.0"));
        SignedIn again = accounts.signIns().signIn(target.email(), target.password(), ClientInfo.unknown());
        accounts.profile().deleteAccount(accounts.sessions().authenticate(again.session().sessionToken()), target.password());

        assertThat(events(op)).filteredOn(e -> e.type().equals(AccountEvent.OPERATOR_ACTION))
                .extracting(e -> e.detail().get("action"), e -> e.detail().get("target_user_id"), AccountEvent::ip,
                        AccountEvent::userAgent, AccountEvent::sessionId)
                .containsExactly(
                        tuple("clear_throttle", target.id(), "203.0.113.77", "OpsConsole/2.0", op.session().id()),
                        tuple("sign_out", target.id(), "203.0.113.77", "OpsConsole/2.0", op.session().id()));
    }
}
