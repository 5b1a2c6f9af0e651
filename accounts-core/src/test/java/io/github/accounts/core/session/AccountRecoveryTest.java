package io.github.accounts.core.session;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.mfa.Totp;
import io.github.accounts.core.mfa.TotpEnabled;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.user.NewUser;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks of issue 26 on recovery, each written as the attacker plays it: a thief's pending email change must die
 * with the owner's reset, password change or sign-out-everywhere, and the owner's reset of an address someone else
 * registered first must take every factor the squatter planted away from him. On H2 and PostgreSQL.
 */
@OnEachDatabase
class AccountRecoveryTest extends StorageTest {
    private static final ClientInfo THIEF = new ClientInfo("Thief/1.0", "203.0.113.66");
    private static final ClientInfo OWNER = new ClientInfo("Owner/1.0", "192.0.2.10");

    private Authenticated as(SignedIn signedIn) {
        return accounts.sessions().authenticate(signedIn.session().sessionToken());
    }

    /** An owner whose address is verified: what follows is recovery, not a first claim. */
    private TestUser verifiedOwner(String hint) {
        TestUser owner = TestUsers.signUp(accounts, hint);
        Mail mail = Mailbox.next(t, owner.email(), () -> accounts.mail().requestEmailVerification(as(owner.signedIn())));
        accounts.mail().confirmEmailVerification(mail.token());
        return owner;
    }

    /** The thief, holding the owner's password for a moment, asks to move the account to his inbox. */
    private String thiefAsksToMove(TestUser owner, String thiefInbox) {
        SignedIn thief = accounts.signIns().signIn(owner.email(), owner.password(), THIEF);
        return Mailbox.next(t, thiefInbox, () -> accounts.emailChange().request(as(thief), thiefInbox, owner.password(),
                THIEF)).token();
    }

    private String reset(String email, String newPassword) {
        String token = Mailbox.next(t, email, () -> accounts.mail().requestPasswordReset(email, OWNER)).token();
        accounts.mail().confirmPasswordReset(token, newPassword, OWNER);
        return newPassword;
    }

    private void thiefConfirmsInVain(String token, TestUser owner, String password) {
        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.emailChange().confirm(token, THIEF));
        assertThat(accounts.signIns().signIn(owner.email(), password, OWNER).user().email()).isEqualTo(owner.email());
    }

    @Test
    void aThiefsPendingEmailChangeDiesWithTheOwnersPasswordReset() {
        TestUser owner = verifiedOwner("owner.reset");
        String token = thiefAsksToMove(owner, uniqueEmail("thief.reset"));

        String newPassword = reset(owner.email(), strongPassword());

        thiefConfirmsInVain(token, owner, newPassword);
    }

    @Test
    void aThiefsPendingEmailChangeDiesWithTheOwnersPasswordChange() {
        TestUser owner = verifiedOwner("owner.change");
        String token = thiefAsksToMove(owner, uniqueEmail("thief.change"));

        String newPassword = strongPassword();
        accounts.profile().changePassword(as(owner.signedIn()), owner.password(), newPassword);

        thiefConfirmsInVain(token, owner, newPassword);
    }

    @Test
    void aThiefsPendingEmailChangeDiesWithTheOwnersSignOutEverywhere() {
        TestUser owner = verifiedOwner("owner.everywhere");
        String token = thiefAsksToMove(owner, uniqueEmail("thief.everywhere"));

        accounts.sessions().signOutEverywhere(as(owner.signedIn()));

        thiefConfirmsInVain(token, owner, owner.password());
    }

    @Test
    void theOldAddressIsToldOfAnEmailChangeRequestAtOnceWithTheNewAddressMasked() {
        TestUser owner = verifiedOwner("owner.told");
        String thiefInbox = uniqueEmail("zed.thief");
        SignedIn thief = accounts.signIns().signIn(owner.email(), owner.password(), THIEF);

        Mail told = Mailbox.next(t, owner.email(),
                () -> accounts.emailChange().request(as(thief), thiefInbox, owner.password(), THIEF));

        assertThat(told.body()).contains("z***@example.com").doesNotContain(thiefInbox)
                .contains("reset your password");
        assertThat(accounts.profile().me(as(owner.signedIn())).email()).isEqualTo(owner.email());
    }

    /** The squatter registers the owner's address first (it stays unverified), to plant a second way in. */
    private record Squatter(SignedIn signedIn, String password) {
    }

    private Squatter squat(String email) {
        String password = strongPassword();
        SignedIn squatter = accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, password), THIEF);
        failsWith(ErrorCode.EMAIL_TAKEN, () -> accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, strongPassword()),
                OWNER));
        return new Squatter(squatter, password);
    }

    /**
     * Plants a factor on the squatter's unverified account as accounts allowed before issue 26 (adding one now needs
     * a verified email and a recent proof, so these are the accounts an upgrade finds): verified only while planting.
     */
    private void plantAsBefore(Squatter squatter, Consumer<Authenticated> plant) {
        long id = squatter.signedIn().user().id();
        DatabaseRows.update(t.dataSource, "update users set email_verified_at = created_at where id = ?", id);
        Authenticated planted = as(squatter.signedIn());
        accounts.reauthentication().withPassword(planted, squatter.password());
        plant.accept(planted);
        DatabaseRows.update(t.dataSource, "update users set email_verified_at = null where id = ?", id);
    }

    private void ownerHoldsTheAccountAlone(String email, String password, Squatter squatter, long passkeys,
                                           long totp) {
        SignedIn owner = accounts.signIns().signIn(email, password, OWNER);
        assertThat(owner.needsSecondFactor()).as("no factor only the squatter holds").isFalse();
        assertThat(owner.user().emailVerified()).as("the reset proved the inbox").isTrue();
        assertThat(owner.user().mfaEnabled()).isFalse();
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(squatter.signedIn().session().sessionToken()));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(email, squatter.password(), THIEF));
        List<AccountEvent> claimed = accounts.events().page(as(owner), null, 100).events().stream()
                .filter(e -> e.type().equals(AccountEvent.USER_CLAIMED)).toList();
        assertThat(claimed).singleElement().extracting(AccountEvent::detail)
                .isEqualTo(Map.of("proof", "password_reset", "sessions_revoked", 1L, "passkeys_removed", passkeys,
                        "totp_removed", totp, "identities_removed", 0L));
    }

    @Test
    void theOwnersResetTakesTheSquattersPasskeyAway() {
        String email = uniqueEmail("squatted.passkey");
        Squatter squatter = squat(email);
        SoftAuthenticator squattersKey = TestAccounts.authenticator();
        plantAsBefore(squatter, planted -> {
            PasskeyOptions options = accounts.passkeys().registrationOptions(planted);
            accounts.passkeys().add(planted, options.ceremonyId(), squattersKey.register(options.optionsJson()), null,
                    THIEF);
        });

        String password = reset(email, strongPassword());

        PasskeyOptions signIn = accounts.passkeys().signInOptions(THIEF);
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.passkeys().signIn(signIn.ceremonyId(),
                squattersKey.assertion(signIn.optionsJson()), THIEF));
        ownerHoldsTheAccountAlone(email, password, squatter, 1, 0);
    }

    @Test
    void theOwnersResetTakesTheSquattersTotpAway() {
        String email = uniqueEmail("squatted.totp");
        Squatter squatter = squat(email);
        plantAsBefore(squatter, planted -> {
            byte[] secret = new Base32().decode(accounts.mfa().startTotp(planted, squatter.password()).secret());
            t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
            accounts.mfa().confirmTotp(planted, Totp.code(secret, Totp.step(t.clock.instant())));
        });

        String password = reset(email, strongPassword());

        ownerHoldsTheAccountAlone(email, password, squatter, 0, 1);
    }

    @Test
    void anOrdinaryEmailVerificationClaimsNothing() {
        TestUser user = TestUsers.signUp(accounts, "verify.claims.nothing");
        SignedIn other = accounts.signIns().signIn(user.email(), user.password(), OWNER);
        Mail mail = Mailbox.next(t, user.email(), () -> accounts.mail().requestEmailVerification(as(user.signedIn())));

        accounts.mail().confirmEmailVerification(mail.token());

        assertThat(accounts.sessions().authenticate(other.session().sessionToken()).userId()).isEqualTo(user.id());
        assertThat(accounts.events().page(as(other), null, 100).events()).extracting(AccountEvent::type)
                .doesNotContain(AccountEvent.USER_CLAIMED);
    }

    @Test
    void enablingTotpCountsTheUsersOtherSessions() {
        TestUser user = TestUsers.signUpVerified(t, "totp.others");
        accounts.signIns().signIn(user.email(), user.password(), THIEF);
        accounts.signIns().signIn(user.email(), user.password(), OWNER);
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(as(user.signedIn()), user.password()).secret());
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));

        TotpEnabled enabled = accounts.mfa().confirmTotp(as(user.signedIn()), Totp.code(secret,
                Totp.step(t.clock.instant())));

        assertThat(enabled.otherSessions()).isEqualTo(2);
        assertThat(enabled.recoveryCodes()).hasSize(10);
    }
}
