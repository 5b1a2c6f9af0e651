package io.github.accounts.core.email;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.user.UserInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/** Email change: a token mailed to the new address moves the account there, once, within 24 hours. */
@OnEachDatabase
class EmailChangeTest extends StorageTest {
    private static final ClientInfo LAPTOP = new ClientInfo("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            "192.0.2.41");

    private Authenticated as(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    private Mail request(TestUser user, String newEmail) {
        return Mailbox.next(t, newEmail,
                () -> accounts.emailChange().request(as(user), newEmail, user.password(), LAPTOP));
    }

    @Test
    void theMailedTokenMovesTheAccountToTheNewAddressVerified() {
        TestUser user = TestUsers.signUp(accounts, "change");
        String newEmail = uniqueEmail("changed");
        Mail mail = Mailbox.next(t, newEmail, () -> accounts.emailChange().request(as(user),
                "  " + newEmail.toUpperCase() + " ", user.password(), LAPTOP));
        assertThat(mail.subject()).isEqualTo("Confirm your new email address");
        assertThat(accounts.profile().me(as(user)).email()).as("nothing changes before confirmation").isEqualTo(user.email());
        t.clock.advance(Duration.ofMinutes(5));

        UserInfo moved = accounts.emailChange().confirm(mail.token(), LAPTOP);

        assertThat(moved.email()).isEqualTo(newEmail);
        assertThat(moved.emailVerified()).isTrue();
        assertThat(moved.updatedAt()).isEqualTo(t.clock.instant());
        assertThat(accounts.signIns().signIn(newEmail, user.password(), LAPTOP).user().id()).isEqualTo(user.id());
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), user.password(), LAPTOP));
        assertThat(accounts.events().page(as(user), null, 100).events()).extracting(AccountEvent::type)
                .contains(AccountEvent.EMAIL_CHANGE_REQUESTED, AccountEvent.EMAIL_CHANGED);
    }

    @Test
    void aMailToTheNewAddressShowsNeitherTheOwnersNamesNorTheirBrowsersText() {
        String email = uniqueEmail("change.names");
        String password = strongPassword();
        SignedIn owner = accounts.signIns().signUp(new NewUser(email, "Visit http://evil.example", "Now", password),
                new ClientInfo("Click http://evil.example", "192.0.2.42"));
        TestUser user = new TestUser(email, password, owner);
        String newEmail = uniqueEmail("change.names.new");

        Mail mail = request(user, newEmail);
        String taken = TestUsers.signUp(accounts, "change.names.taken").email();
        Mail refused = request(user, taken);

        assertThat(List.of(mail, refused)).noneMatch(m -> m.body().contains("evil.example")
                || m.body().contains("Now") || m.subject().contains("evil.example"));
    }

    @Test
    void theOldAddressIsToldWhenAndToWhichMaskedAddress() {
        TestUser user = TestUsers.signUp(accounts, "change.told");
        String newEmail = uniqueEmail("zed.new");
        accounts.emailChange().confirm(request(user, newEmail).token(), LAPTOP);

        Mail notice = Mailbox.awaitNotices(t, user.email(), "Your email address was changed", 1).get(0);

        assertThat(notice.body()).contains("z***@example.com").doesNotContain(newEmail)
                .contains("From: Firefox on Linux, address 192.0.2.41").doesNotContain("Firefox/140.0")
                .contains("If it was not you");
        assertThat(Mailbox.noticesTo(t, newEmail)).isEmpty();
    }

    @Test
    void theTokenWorksOnceAndIsStoredOnlyAsADigest() {
        TestUser user = TestUsers.signUp(accounts, "change.once");
        String token = request(user, uniqueEmail("changed.once")).token();
        assertThat(DatabaseRows.everyStoredValue(t.dataSource)).noneMatch(v -> v.contains(token))
                .contains(DatabaseRows.sha256(token));

        accounts.emailChange().confirm(token, LAPTOP);

        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm(token, LAPTOP));
    }

    @Test
    void theTokenExpiresAfterTwentyFourHours() {
        TestUser early = TestUsers.signUp(accounts, "change.early");
        TestUser late = TestUsers.signUp(accounts, "change.late");
        String earlyToken = request(early, uniqueEmail("changed.early")).token();
        String lateToken = request(late, uniqueEmail("changed.late")).token();

        t.clock.advance(Duration.ofHours(24).minusSeconds(1));
        accounts.emailChange().confirm(earlyToken, LAPTOP);
        t.clock.advance(Duration.ofSeconds(1));
        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm(lateToken, LAPTOP));
    }

    @Test
    void aNewerRequestReplacesTheOlderToken() {
        TestUser user = TestUsers.signUp(accounts, "change.newer");
        String older = request(user, uniqueEmail("changed.older")).token();
        String newerEmail = uniqueEmail("changed.newer");
        String newer = request(user, newerEmail).token();

        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm(older, LAPTOP));
        assertThat(accounts.emailChange().confirm(newer, LAPTOP).email()).isEqualTo(newerEmail);
    }

    @Test
    void anAddressOfAnotherAccountIsToldInsteadAndTheCallerSeesNoDifference() {
        TestUser user = TestUsers.signUp(accounts, "change.taken");
        TestUser owner = TestUsers.signUp(accounts, "change.owner");

        Mail told = request(user, owner.email());

        assertThat(told.subject()).isEqualTo("Someone tried to use your email address");
        assertThat(told.body()).doesNotContain(user.email()).doesNotMatch("(?s).*[A-Za-z0-9_-]{43}.*");
        assertThat(DatabaseRows.query(t.dataSource, "select id from one_time_tokens where user_id = ?", user.id()))
                .isEmpty();
        assertThat(accounts.profile().me(as(user)).email()).isEqualTo(user.email());
    }

    @Test
    void aSignUpTakingTheAddressBeforeConfirmationMakesTheTokenInvalid() {
        TestUser user = TestUsers.signUp(accounts, "change.race");
        String contested = uniqueEmail("contested");
        String token = request(user, contested).token();
        accounts.signIns().signUp(new NewUser(contested, FNAME, LNAME, strongPassword()), ClientInfo.unknown());

        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm(token, LAPTOP));

        assertThat(accounts.profile().me(as(user)).email()).isEqualTo(user.email());
        assertThat(DatabaseRows.query(t.dataSource, "select id from users where email = ?", contested)).hasSize(1);
    }

    @Test
    void aResetTokenMailedToTheOldAddressStopsWorking() {
        TestUser user = TestUsers.signUp(accounts, "change.reset");
        String reset = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown())).token();

        accounts.emailChange().confirm(request(user, uniqueEmail("changed.reset")).token(), LAPTOP);

        failsWith(ErrorCode.INVALID_TOKEN,
                () -> accounts.mail().confirmPasswordReset(reset, strongPassword(), ClientInfo.unknown()));
    }

    @Test
    void aWrongPasswordIsWrongPasswordAndCountsTowardTheSignInThrottle() {
        TestUser user = TestUsers.signUp(accounts, "change.wrong");
        String newEmail = uniqueEmail("changed.wrong");
        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.WRONG_PASSWORD,
                    () -> accounts.emailChange().request(as(user), newEmail, strongPassword(), LAPTOP));
        }

        failsWith(ErrorCode.THROTTLED,
                () -> accounts.emailChange().request(as(user), newEmail, user.password(), LAPTOP));
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), LAPTOP));
        assertThat(Mailbox.to(t, newEmail)).isEmpty();
    }

    @Test
    void badInputIsValidationFailedBeforeThePasswordIsChecked() {
        TestUser user = TestUsers.signUp(accounts, "change.bad");
        failsValidation(() -> accounts.emailChange().request(as(user), "not an email", user.password(), LAPTOP),
                "new_email", "invalid");
        failsValidation(() -> accounts.emailChange().request(as(user), null, null, LAPTOP),
                "new_email", "required", "password", "required");
        failsValidation(() -> accounts.emailChange().request(as(user), user.email().toUpperCase(), strongPassword(),
                LAPTOP), "new_email", "unchanged");
        failsValidation(() -> accounts.emailChange().confirm("", LAPTOP), "token", "required");
        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm("garbage", LAPTOP));
        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm(user.session().sessionToken(), LAPTOP));
    }

    @Test
    void requestsAreLimitedToThreeAnHourPerAccount() {
        TestUser user = TestUsers.signUp(accounts, "change.flood");
        for (int i = 0; i < 3; i++) {
            accounts.emailChange().request(as(user), uniqueEmail("changed.flood"), user.password(), LAPTOP);
        }

        AccountsException refused = failsWith(ErrorCode.THROTTLED,
                () -> accounts.emailChange().request(as(user), uniqueEmail("changed.flood"), user.password(), LAPTOP));

        assertThat(refused.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
        t.clock.advance(Duration.ofHours(1));
        request(user, uniqueEmail("changed.flood"));
    }

    @Test
    void aDisabledAccountCannotFinishAChange() {
        TestUser user = TestUsers.signUp(accounts, "change.disabled");
        TestUser operator = TestUsers.signUp(accounts, "change.operator");
        String token = request(user, uniqueEmail("changed.disabled")).token();
        accounts.operators().disableUser(as(operator), user.id(), null);

        failsWith(ErrorCode.ACCOUNT_DISABLED, () -> accounts.emailChange().confirm(token, LAPTOP));
    }
}
