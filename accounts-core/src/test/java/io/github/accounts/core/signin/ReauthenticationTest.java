package io.github.accounts.core.signin;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ReauthenticationWindows;
import io.github.accounts.core.mfa.Totp;
import io.github.accounts.core.passkey.PasskeyInfo;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recent authentication and verified email before factors, written as the attacks they stop: a stolen session (a
 * sign-in, no proof) cannot plant a passkey, an unverified account cannot add a factor, a proof lasts its window
 * only, a passkey is removed only by a session that signed in or proved itself recently, and wrong proofs are
 * throttled like wrong sign-ins; on H2 and PostgreSQL.
 */
@OnEachDatabase
class ReauthenticationTest extends StorageTest {
    private static final ClientInfo PHONE = new ClientInfo("phone/1.0", "203.0.113.40");

    private Authenticated me(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    private int ceremonies(long userId) {
        return DatabaseRows.query(t.dataSource, "select id from passkey_ceremonies where user_id = ?", userId).size();
    }

    private PasskeyInfo addPasskey(Authenticated who, SoftAuthenticator authenticator) {
        PasskeyOptions options = accounts.passkeys().registrationOptions(who);
        return accounts.passkeys().add(who, options.ceremonyId(), authenticator.register(options.optionsJson()), null,
                PHONE);
    }

    @Test
    void aStolenSessionCannotPlantAPasskey() {
        TestUser owner = TestUsers.signUpVerified(t, "reauth.stolen");
        PasskeyOptions begunEarlier = accounts.passkeys().registrationOptions(TestUsers.reauthenticated(accounts, owner));
        t.clock.advance(Duration.ofMinutes(5));
        // the thief holds the session token: a fresh sign-in of it, but no proof within the last 5 minutes
        SignedIn stolen = accounts.signIns().signIn(owner.email(), owner.password(), PHONE);
        Authenticated thief = accounts.sessions().authenticate(stolen.session().sessionToken());
        int before = ceremonies(owner.id());

        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.passkeys().registrationOptions(thief));
        SoftAuthenticator thiefs = TestAccounts.authenticator();
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.passkeys().add(thief, begunEarlier.ceremonyId(),
                thiefs.register(begunEarlier.optionsJson()), null, PHONE));

        assertThat(ceremonies(owner.id())).isEqualTo(before);
        assertThat(accounts.passkeys().list(me(owner))).isEmpty();
        assertThat(DatabaseRows.query(t.dataSource, "select id from passkey_credentials where user_id = ?",
                owner.id())).isEmpty();
    }

    @Test
    void anUnverifiedAccountCannotAddAPasskeyOrTotp() {
        TestUser user = TestUsers.signUp(accounts, "reauth.unverified");
        Authenticated proven = TestUsers.reauthenticated(accounts, user);

        failsWith(ErrorCode.EMAIL_NOT_VERIFIED, () -> accounts.passkeys().registrationOptions(proven));
        failsWith(ErrorCode.EMAIL_NOT_VERIFIED, () -> accounts.passkeys().add(proven, "any-ceremony-id-at-all", "{}",
                null, PHONE));
        failsWith(ErrorCode.EMAIL_NOT_VERIFIED, () -> accounts.mfa().startTotp(proven, user.password()));

        assertThat(ceremonies(user.id())).isZero();
        assertThat(DatabaseRows.query(t.dataSource, "select id from mfa_totp where user_id = ?", user.id())).isEmpty();
    }

    @Test
    void aProofLetsTheSessionAddAPasskeyForFiveMinutesOnly() {
        TestUser user = TestUsers.signUpVerified(t, "reauth.window");
        Authenticated who = me(user);
        Instant until = accounts.reauthentication().withPassword(who, user.password());

        assertThat(until).isEqualTo(t.clock.instant().plus(Duration.ofMinutes(5)));
        addPasskey(who, TestAccounts.authenticator());
        t.clock.advance(Duration.ofMinutes(5));

        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> addPasskey(who, TestAccounts.authenticator()));
        accounts.reauthentication().withPassword(who, user.password());
        addPasskey(who, TestAccounts.authenticator());
        assertThat(accounts.passkeys().list(who)).hasSize(2);
    }

    @Test
    void aProofCountsForItsOwnSessionOnly() {
        TestUser user = TestUsers.signUpVerified(t, "reauth.own");
        TestUsers.reauthenticated(accounts, user);
        Authenticated other = accounts.sessions().authenticate(accounts.signIns().signIn(user.email(), user.password(), PHONE).session()
                .sessionToken());

        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.passkeys().registrationOptions(other));
    }

    @Test
    void removingAPasskeyNeedsASignInOrProofWithinTenMinutes() {
        TestUser user = TestUsers.signUpVerified(t, "reauth.remove");
        Authenticated who = TestUsers.reauthenticated(accounts, user);
        PasskeyInfo first = addPasskey(who, TestAccounts.authenticator());
        PasskeyInfo second = addPasskey(who, TestAccounts.authenticator());
        t.clock.advance(Duration.ofMinutes(10));

        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.passkeys().remove(who, first.id(), PHONE));
        Authenticated fresh = accounts.sessions().authenticate(accounts.signIns().signIn(user.email(), user.password(), PHONE).session()
                .sessionToken());
        accounts.passkeys().remove(fresh, first.id(), PHONE); // a sign-in is enough to remove
        accounts.reauthentication().withPassword(who, user.password());
        accounts.passkeys().remove(who, second.id(), PHONE);
        assertThat(accounts.passkeys().list(who)).isEmpty();
    }

    @Test
    void wrongPasswordsToReauthenticateAreThrottledLikeWrongSignIns() {
        TestUser user = TestUsers.signUpVerified(t, "reauth.guess");
        Authenticated thief = me(user);

        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.reauthentication().withPassword(thief, TestUsers.strongPassword()));
        }

        failsWith(ErrorCode.THROTTLED, () -> accounts.reauthentication().withPassword(thief, user.password()));
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), PHONE));
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.passkeys().registrationOptions(thief));
        failsValidation(() -> accounts.reauthentication().withPassword(thief, null), "password", "required");
    }

    @Test
    void aTotpCodeReauthenticatesOnceAndWrongCodesAreThrottled() {
        TestUser user = TestUsers.signUpVerified(t, "reauth.totp");
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(me(user), user.password()).secret());
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String enrolCode = Totp.code(secret, Totp.step(t.clock.instant()));
        java.util.List<String> recovery = accounts.mfa().confirmTotp(me(user), enrolCode).recoveryCodes();
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String code = Totp.code(secret, Totp.step(t.clock.instant()));
        Authenticated who = me(user);

        accounts.reauthentication().withCode(who, code);
        addPasskey(who, TestAccounts.authenticator());
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.reauthentication().withCode(who, code)); // replayed
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.reauthentication().withCode(who, recovery.get(0)));
        for (int i = 0; i < 3; i++) {
            failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.reauthentication().withCode(who, "000000".equals(code)
                    ? "111111" : "000000"));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.reauthentication().withPassword(who, user.password()));
    }

    @Test
    void aPasskeyOfTheUsersOwnReauthenticatesAndAnotherUsersDoesNot() {
        TestUser user = TestUsers.signUpVerified(t, "reauth.passkey");
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        addPasskey(TestUsers.reauthenticated(accounts, user), authenticator);
        SoftAuthenticator strangers = TestAccounts.authenticator();
        addPasskey(TestUsers.reauthenticated(accounts, TestUsers.signUpVerified(t, "reauth.stranger")), strangers);
        t.clock.advance(Duration.ofMinutes(5));
        Authenticated who = me(user);

        PasskeyOptions wrong = accounts.reauthentication().passkeyOptions(who);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.reauthentication().withPasskey(who, wrong.ceremonyId(),
                strangers.assertion(strangers.last(), wrong.optionsJson())));
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.passkeys().registrationOptions(who));
        PasskeyOptions options = accounts.reauthentication().passkeyOptions(who);
        accounts.reauthentication().withPasskey(who, options.ceremonyId(), authenticator.assertion(options.optionsJson()));

        addPasskey(who, TestAccounts.authenticator());
        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.reauthentication().withPasskey(who, options.ceremonyId(),
                authenticator.assertion(options.optionsJson())));
    }

    @Test
    void theWindowsAreHostSettings() {
        ReauthenticationWindows windows = new ReauthenticationWindows(Duration.ofMinutes(1), Duration.ofMinutes(2));
        assertThat(AccountsConfig.originalDesign().withReauthentication(windows).reauthentication())
                .isEqualTo(windows);
        assertThat(AccountsConfig.originalDesign().reauthentication()).isEqualTo(ReauthenticationWindows.defaults());
        assertThat(AccountsConfig.originalDesign().withReauthentication(windows).deviationsFromProfile())
                .singleElement().asString().startsWith("reauthentication: ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReauthenticationWindows(Duration.ZERO,
                Duration.ofMinutes(10))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proof");
    }
}
