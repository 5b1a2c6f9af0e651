package io.github.accounts.core.profile;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.user.UserInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static org.assertj.core.api.Assertions.assertThat;

/** The signed-in user's own account: reading it, renaming, changing the password, deleting it. */
@OnEachDatabase
class ProfileTest extends StorageTest {
    private Authenticated as(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    private Instant storedUpdatedAt(TestUser user) {
        return DatabaseRows.instant(t.dataSource, "select updated_at from users where id = ?", user.id());
    }

    @Test
    void meReturnsTheUserAsStoredNow() {
        TestUser user = TestUsers.signUp(accounts, "me");
        Authenticated me = as(user);
        Authenticated otherDevice = accounts.sessions().authenticate(
                accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).session().sessionToken());
        accounts.profile().update(otherDevice, "Renamed", null);

        assertThat(accounts.profile().me(me).fname()).isEqualTo("Renamed");
        assertThat(accounts.profile().me(me).id()).isEqualTo(user.id());
    }

    @Test
    void updateProfileChangesTheNamesGivenAndMovesUpdatedAtForward() {
        TestUser user = TestUsers.signUp(accounts, "rename");
        Instant createdAt = user.signedIn().user().createdAt();

        t.clock.advance(Duration.ofMinutes(5));
        UserInfo renamed = accounts.profile().update(as(user), "  Grace ", null);
        assertThat(renamed.fname()).isEqualTo("Grace");
        assertThat(renamed.lname()).isEqualTo(TestUsers.LNAME);
        assertThat(renamed.createdAt()).isEqualTo(createdAt);
        assertThat(renamed.updatedAt()).isEqualTo(t.clock.instant());
        assertThat(storedUpdatedAt(user)).isEqualTo(t.clock.instant());

        t.clock.advance(Duration.ofMinutes(5));
        UserInfo again = accounts.profile().update(as(user), null, "Hopper");
        assertThat(again.fname()).isEqualTo("Grace");
        assertThat(again.lname()).isEqualTo("Hopper");
        assertThat(again.updatedAt()).isEqualTo(t.clock.instant()).isAfter(renamed.updatedAt());
        assertThat(storedUpdatedAt(user)).isEqualTo(t.clock.instant());
        assertThat(accounts.profile().me(as(user))).isEqualTo(again);
    }

    @Test
    void updateProfileWithNothingToChangeLeavesTheUserAlone() {
        TestUser user = TestUsers.signUp(accounts, "rename.nothing");
        t.clock.advance(Duration.ofMinutes(1));

        assertThat(accounts.profile().update(as(user), null, null)).isEqualTo(user.signedIn().user());
    }

    @Test
    void updateProfileRefusesInvalidNames() {
        TestUser user = TestUsers.signUp(accounts, "rename.bad");
        failsValidation(() -> accounts.profile().update(as(user), " ", "x".repeat(129)), "fname", "required", "lname", "too_long");
        failsValidation(() -> accounts.profile().update(as(user), "Tab\there", null), "fname", "invalid");
        assertThat(accounts.profile().me(as(user))).isEqualTo(user.signedIn().user());
    }

    @Test
    void changePasswordRevokesEveryOtherSessionAndKeepsThisOne() {
        TestUser user = TestUsers.signUp(accounts, "change");
        SignedIn otherDevice = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        String newPassword = strongPassword();
        t.clock.advance(Duration.ofMinutes(3));

        accounts.profile().changePassword(as(user), user.password(), newPassword);

        assertThat(as(user).userId()).isEqualTo(user.id());
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(otherDevice.session().sessionToken()));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(otherDevice.session().updateToken()));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
        assertThat(accounts.signIns().signIn(user.email(), newPassword, ClientInfo.unknown()).user().id()).isEqualTo(user.id());
        assertThat(storedUpdatedAt(user)).isEqualTo(t.clock.instant());
        assertThat(accounts.profile().me(as(user)).updatedAt()).isEqualTo(t.clock.instant());
    }

    @Test
    void changePasswordWithTheWrongCurrentPasswordIsWrongPassword() {
        TestUser user = TestUsers.signUp(accounts, "change.wrong");
        SignedIn otherDevice = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());

        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.profile().changePassword(as(user), strongPassword(), strongPassword()));

        assertThat(accounts.sessions().authenticate(otherDevice.session().sessionToken()).userId()).isEqualTo(user.id());
        assertThat(accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).user().id()).isEqualTo(user.id());
    }

    @Test
    void changePasswordChecksTheNewPasswordAgainstThePolicy() {
        TestUser user = TestUsers.signUp(accounts, "change.policy");
        failsValidation(() -> accounts.profile().changePassword(as(user), "", "short"),
                "current_password", "required", "new_password", "password_too_weak");
        failsValidation(() -> accounts.profile().changePassword(as(user), user.password(), "qwertyuiopasdfghjkl"),
                "new_password", "password_too_weak");
        failsValidation(() -> accounts.profile().changePassword(as(user), user.password(), "lovelace byron" + strongPassword()),
                "new_password", "password_too_weak");
        failsValidation(() -> accounts.profile().changePassword(as(user), user.password(), "x".repeat(1025)),
                "new_password", "too_long");
        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
    }

    @Test
    void wrongCurrentPasswordsCountTowardsSignInThrottling() {
        TestUser user = TestUsers.signUp(accounts, "change.throttle");
        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.profile().changePassword(as(user), strongPassword(), strongPassword()));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.profile().changePassword(as(user), user.password(), strongPassword()));
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
    }

    @Test
    void deleteAccountRemovesTheUserWithSessionsAndTokensAndFreesTheEmail() {
        TestUser user = TestUsers.signUp(accounts, "delete");
        SignedIn otherDevice = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        Authenticated me = as(user);
        accounts.mail().requestEmailVerification(me);
        accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
        assertThat(DatabaseRows.query(t.dataSource, "select id from one_time_tokens where user_id = ?", user.id())).hasSize(2);

        accounts.profile().deleteAccount(me, user.password());

        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(user.session().sessionToken()));
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(otherDevice.session().sessionToken()));
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.profile().me(me));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
        for (String table : new String[] {"sessions", "one_time_tokens"}) {
            assertThat(DatabaseRows.query(t.dataSource, "select id from " + table + " where user_id = ?", user.id()))
                    .as(table).isEmpty();
        }
        assertThat(DatabaseRows.query(t.dataSource, "select id from users where id = ?", user.id())).isEmpty();
        SignedIn again = accounts.signIns().signUp(new NewUser(user.email(), "New", "Person", strongPassword()), ClientInfo.unknown());
        assertThat(again.user().id()).isNotEqualTo(user.id());
    }

    @Test
    void deleteAccountWithTheWrongPasswordIsWrongPassword() {
        TestUser user = TestUsers.signUp(accounts, "delete.wrong");
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.profile().deleteAccount(as(user), strongPassword()));
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.profile().deleteAccount(as(user), "short"));
        failsValidation(() -> accounts.profile().deleteAccount(as(user), ""), "password", "required");
        failsValidation(() -> accounts.profile().deleteAccount(as(user), null), "password", "required");

        assertThat(accounts.profile().me(as(user)).id()).isEqualTo(user.id());
    }
}
