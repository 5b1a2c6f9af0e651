package io.github.accounts.core.mfa;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.session.MfaRequired;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TOTP and recovery codes: enrolment, the two-step sign-in, replay, drift, single-use recovery codes, the
 * five-wrong-codes rule, throttling through the second step, and turning it off. Codes are computed from the
 * secret the enrolment showed, as an authenticator app would.
 */
@OnEachDatabase
class MfaTest extends StorageTest {
    private static final ClientInfo PHONE = new ClientInfo("phone/1.0", "203.0.113.17");

    /** A signed-up user with TOTP on: their secret and recovery codes. */
    record Enrolled(TestUser user, byte[] secret, List<String> recoveryCodes) {
    }

    private Authenticated me(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    /** The code an authenticator app shows now; the clock moves on a step first, so no earlier code is reused. */
    private String nextCode(byte[] secret) {
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        return Totp.code(secret, Totp.step(t.clock.instant()));
    }

    private Enrolled enrolled(String hint) {
        TestUser user = TestUsers.signUpVerified(t, hint);
        TotpEnrolment started = accounts.mfa().startTotp(me(user), user.password());
        byte[] secret = new Base32().decode(started.secret());
        List<String> codes = accounts.mfa().confirmTotp(me(user), nextCode(secret)).recoveryCodes();
        return new Enrolled(user, secret, codes);
    }

    private MfaRequired passwordStep(Enrolled e) {
        SignedIn first = accounts.signIns().signIn(e.user().email(), e.user().password(), PHONE);
        assertThat(first.needsSecondFactor()).isTrue();
        assertThat(first.session()).isNull();
        return first.mfaRequired();
    }

    @Test
    void enrolmentShowsABase32SecretAndAKeyUriAndTurnsOnWithAFirstCode() {
        TestUser user = TestUsers.signUpVerified(t, "mfa.enrol");
        TotpEnrolment started = accounts.mfa().startTotp(me(user), user.password());
        assertThat(started.secret()).matches("[A-Z2-7]{32}");
        assertThat(started.otpauthUri()).isEqualTo("otpauth://totp/accounts:" + user.email().replace("@", "%40")
                + "?secret=" + started.secret() + "&issuer=accounts&algorithm=SHA1&digits=6&period=30");
        assertThat(accounts.profile().me(me(user)).mfaEnabled()).isFalse();
        assertThat(accounts.signIns().signIn(user.email(), user.password(), PHONE).needsSecondFactor()).isFalse(); // pending

        byte[] secret = new Base32().decode(started.secret());
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.mfa().confirmTotp(me(user), "000000".equals(
                Totp.code(secret, Totp.step(t.clock.instant()))) ? "111111" : "000000"));
        List<String> codes = accounts.mfa().confirmTotp(me(user), nextCode(secret)).recoveryCodes();

        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[2-9a-z]{5}-[2-9a-z]{5}"));
        assertThat(accounts.profile().me(me(user)).mfaEnabled()).isTrue();
        assertThat(me(user).user().mfaEnabled()).isTrue();
        failsWith(ErrorCode.MFA_NOT_ENABLED, () -> accounts.mfa().confirmTotp(me(user), nextCode(secret)));
        failsWith(ErrorCode.MFA_ALREADY_ENABLED, () -> accounts.mfa().startTotp(me(user), user.password()));
    }

    @Test
    void aNewEnrolmentReplacesAPendingOne() {
        TestUser user = TestUsers.signUpVerified(t, "mfa.restart");
        byte[] first = new Base32().decode(accounts.mfa().startTotp(me(user), user.password()).secret());
        byte[] second = new Base32().decode(accounts.mfa().startTotp(me(user), user.password()).secret());
        assertThat(second).isNotEqualTo(first);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.mfa().confirmTotp(me(user), nextCode(first)));
        assertThat(accounts.mfa().confirmTotp(me(user), Totp.code(second, Totp.step(t.clock.instant()))).recoveryCodes())
                .hasSize(10);
    }

    @Test
    void enrolmentRegenerationAndDisablingCheckThePasswordAndCountWrongOnes() {
        TestUser user = TestUsers.signUpVerified(t, "mfa.password");
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.mfa().startTotp(me(user), strongPassword()));
        failsValidation(() -> accounts.mfa().startTotp(me(user), null), "password", "required");
        assertThat(DatabaseRows.one(t.dataSource, "select failures from sign_in_throttle where throttle_key = ?",
                TestAccounts.throttleKeys().account("sign-in", user.email()))).containsEntry("failures", "1");
        failsWith(ErrorCode.MFA_NOT_ENABLED, () -> accounts.mfa().regenerateRecoveryCodes(me(user), user.password()));
        failsWith(ErrorCode.MFA_NOT_ENABLED, () -> accounts.mfa().disableTotp(me(user), user.password(), "123456"));
        failsWith(ErrorCode.MFA_NOT_ENABLED, () -> accounts.mfa().confirmTotp(me(user), "123456"));

        Enrolled e = enrolled("mfa.password.on");
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.mfa().regenerateRecoveryCodes(me(e.user()), strongPassword()));
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.mfa().disableTotp(me(e.user()), strongPassword(),
                nextCode(e.secret())));
        failsValidation(() -> accounts.mfa().disableTotp(me(e.user()), null, null), "password", "required", "code",
                "required");
    }

    @Test
    void theRightPasswordAsksForASecondStepThatACodeCompletes() {
        Enrolled e = enrolled("mfa.signin");
        MfaRequired step = passwordStep(e);
        assertThat(step.methods()).containsExactly("totp", "recovery_code");
        assertThat(step.expiresAt()).isEqualTo(t.clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(step.mfaToken()).matches("[A-Za-z0-9_-]{43}");

        SignedIn done = accounts.signIns().completeSignIn(step.mfaToken(), nextCode(e.secret()), PHONE);
        assertThat(done.needsSecondFactor()).isFalse();
        assertThat(done.user().mfaEnabled()).isTrue();
        assertThat(accounts.sessions().authenticate(done.session().sessionToken()).userId()).isEqualTo(e.user().id());
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().completeSignIn(step.mfaToken(), nextCode(e.secret()),
                PHONE)); // single use
    }

    @Test
    void aCodeThatSucceededOnceIsRefusedAgainEvenWithANewToken() {
        Enrolled e = enrolled("mfa.replay");
        String code = nextCode(e.secret());
        accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), code, PHONE);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), code, PHONE));
        // so is the code of the step before it, which is still within the drift window
        String previous = Totp.code(e.secret(), Totp.step(t.clock.instant()) - 1);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), previous,
                PHONE));
    }

    @Test
    void oneStepOfDriftEitherWayIsAcceptedAndTwoAreNot() {
        Enrolled e = enrolled("mfa.drift");
        t.clock.advance(Duration.ofMinutes(5));
        long now = Totp.step(t.clock.instant());
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(),
                Totp.code(e.secret(), now - 2), PHONE));
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(),
                Totp.code(e.secret(), now + 2), PHONE));
        assertThat(accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), Totp.code(e.secret(), now - 1), PHONE)
                .session()).isNotNull();
        assertThat(accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), Totp.code(e.secret(), now + 1), PHONE)
                .session()).isNotNull();
    }

    @Test
    void aRecoveryCodeWorksOnceInAnySpellingAndIsThenGone() {
        Enrolled e = enrolled("mfa.recovery");
        String code = e.recoveryCodes().get(3);
        SignedIn done = accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), " " + code.toUpperCase() + " ", PHONE);
        assertThat(done.session()).isNotNull();
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), code, PHONE));
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(),
                "abcde-fghjk", PHONE));
        List<AccountEvent> events = accounts.events().page(accounts.sessions().authenticate(done.session().sessionToken()), null, 100)
                .events();
        assertThat(events).filteredOn(ev -> ev.type().equals(AccountEvent.MFA_RECOVERY_CODE_USED))
                .singleElement().satisfies(ev -> assertThat(ev.detail()).containsEntry("remaining", 9L));
        assertThat(events).filteredOn(ev -> ev.type().equals(AccountEvent.SIGNED_IN)).first()
                .satisfies(ev -> assertThat(ev.detail()).isEqualTo(Map.of("method", "password", "mfa", "recovery_code")));
    }

    @Test
    void whenEveryRecoveryCodeIsUsedOnlyTotpIsOffered() {
        Enrolled e = enrolled("mfa.recovery.all");
        for (String code : e.recoveryCodes()) {
            accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), code, PHONE);
        }
        assertThat(passwordStep(e).methods()).containsExactly("totp");
    }

    @Test
    void regeneratedRecoveryCodesReplaceTheOldSet() {
        Enrolled e = enrolled("mfa.regenerate");
        List<String> fresh = accounts.mfa().regenerateRecoveryCodes(me(e.user()), e.user().password());
        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(e.recoveryCodes());
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(passwordStep(e).mfaToken(),
                e.recoveryCodes().get(0), PHONE));
        assertThat(accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), fresh.get(0), PHONE).session()).isNotNull();
    }

    @Test
    void anMfaTokenDiesAfterFiveWrongCodesAndAfterFiveMinutes() {
        Enrolled e = enrolled("mfa.five");
        MfaRequired step = passwordStep(e);
        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(step.mfaToken(), "zzzzz-zzzzz", PHONE));
        }
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().completeSignIn(step.mfaToken(), nextCode(e.secret()),
                PHONE));
        t.clock.advance(Duration.ofHours(1)); // past the throttle's back-off

        MfaRequired late = passwordStep(e);
        t.clock.advance(Duration.ofMinutes(5));
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().completeSignIn(late.mfaToken(),
                Totp.code(e.secret(), Totp.step(t.clock.instant())), PHONE));
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().completeSignIn("not-a-token", "123456", PHONE));
        failsValidation(() -> accounts.signIns().completeSignIn(null, "", PHONE), "mfa_token", "required", "code", "required");
    }

    @Test
    void wrongCodesCountInTheAccountsThrottleLikeWrongPasswords() {
        Enrolled e = enrolled("mfa.throttle");
        int limit = accounts.config().throttling().accountFailures();
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(e.user().email(), strongPassword(), PHONE));
        MfaRequired step = passwordStep(e); // the right password neither counts nor forgets the failure before it
        for (int i = 1; i < limit; i++) {
            failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(step.mfaToken(), "zzzzz-zzzzz",
                    PHONE));
        }
        // the limit is reached (one password and four codes): the right code is refused now, as is the password
        String right = Totp.code(e.secret(), Totp.step(t.clock.instant()) + 1); // the clock stays within the back-off
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().completeSignIn(step.mfaToken(), right, PHONE));
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(e.user().email(), e.user().password(), PHONE));
        assertThat(DatabaseRows.query(t.dataSource, "select type from account_events where user_id = ?",
                e.user().id())).extracting(r -> r.get("type")).contains(AccountEvent.THROTTLED);

        t.clock.advance(Duration.ofHours(1));
        SignedIn done = accounts.signIns().completeSignIn(passwordStep(e).mfaToken(), nextCode(e.secret()), PHONE);
        assertThat(done.session()).isNotNull();
        assertThat(DatabaseRows.one(t.dataSource, "select failures from sign_in_throttle where throttle_key = ?",
                TestAccounts.throttleKeys().account("sign-in", e.user().email()))).containsEntry("failures", "0");
    }

    @Test
    void aPasswordResetDoesNotBypassTheSecondFactorAndAPasswordChangeKeepsIt() {
        Enrolled e = enrolled("mfa.reset");
        Mail verification = Mailbox.next(t, e.user().email(), () -> accounts.mail().requestEmailVerification(me(e.user())));
        accounts.mail().confirmEmailVerification(verification.token()); // else the reset would claim the account
        String changed = strongPassword();
        accounts.profile().changePassword(me(e.user()), e.user().password(), changed);
        assertThat(accounts.signIns().signIn(e.user().email(), changed, PHONE).needsSecondFactor()).isTrue();
        String reset = strongPassword();
        Mail mail = Mailbox.next(t, e.user().email(), () -> accounts.mail().requestPasswordReset(e.user().email(), PHONE));
        accounts.mail().confirmPasswordReset(mail.token(), reset, ClientInfo.unknown());
        assertThat(accounts.signIns().signIn(e.user().email(), reset, PHONE).needsSecondFactor()).isTrue();
    }

    @Test
    void aDisabledAccountIsRefusedAtTheSecondStepWithTheRightCodeOnly() {
        Enrolled e = enrolled("mfa.disabled");
        TestUser operator = TestUsers.signUp(accounts, "mfa.operator");
        MfaRequired step = passwordStep(e);
        accounts.operators().disableUser(me(operator), e.user().id(), null);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(step.mfaToken(), "zzzzz-zzzzz", PHONE));
        failsWith(ErrorCode.ACCOUNT_DISABLED, () -> accounts.signIns().completeSignIn(step.mfaToken(), nextCode(e.secret()),
                PHONE));
        accounts.operators().enableUser(me(operator), e.user().id());
        t.clock.advance(Duration.ofHours(1));
    }

    @Test
    void disablingTakesTheRightCodeCountsWrongOnesAndDeletesTheRecoveryCodes() {
        Enrolled e = enrolled("mfa.off");
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.mfa().disableTotp(me(e.user()), e.user().password(),
                "zzzzz-zzzzz"));
        assertThat(DatabaseRows.one(t.dataSource, "select failures from sign_in_throttle where throttle_key = ?",
                TestAccounts.throttleKeys().account("sign-in", e.user().email()))).containsEntry("failures", "1");
        accounts.mfa().disableTotp(me(e.user()), e.user().password(), e.recoveryCodes().get(0));

        assertThat(accounts.profile().me(me(e.user())).mfaEnabled()).isFalse();
        assertThat(accounts.signIns().signIn(e.user().email(), e.user().password(), PHONE).session()).isNotNull();
        assertThat(DatabaseRows.query(t.dataSource, "select id from mfa_recovery_codes where user_id = ?",
                e.user().id())).isEmpty();
        assertThat(DatabaseRows.query(t.dataSource, "select id from mfa_totp where user_id = ?", e.user().id()))
                .isEmpty();
        assertThat(accounts.mfa().startTotp(me(e.user()), e.user().password()).secret()).matches("[A-Z2-7]{32}");
    }

    @Test
    void everyChangeIsAnEvent() {
        Enrolled e = enrolled("mfa.events");
        MfaRequired step = passwordStep(e);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(step.mfaToken(), "zzzzz-zzzzz", PHONE));
        SignedIn done = accounts.signIns().completeSignIn(step.mfaToken(), nextCode(e.secret()), PHONE);
        Authenticated me = accounts.sessions().authenticate(done.session().sessionToken());
        accounts.mfa().regenerateRecoveryCodes(me, e.user().password());
        accounts.mfa().disableTotp(me, e.user().password(), nextCode(e.secret()));

        List<AccountEvent> events = accounts.events().page(me, null, 100).events();
        assertThat(events).extracting(AccountEvent::type).containsSubsequence(AccountEvent.MFA_DISABLED,
                AccountEvent.MFA_RECOVERY_CODES_REGENERATED, AccountEvent.SIGNED_IN, AccountEvent.SIGN_IN_FAILED,
                AccountEvent.MFA_REQUIRED, AccountEvent.MFA_ENABLED, AccountEvent.USER_SIGNED_UP);
        assertThat(events.get(0).detail()).isEqualTo(Map.of("method", "totp"));
        assertThat(events).filteredOn(ev -> ev.type().equals(AccountEvent.SIGN_IN_FAILED)).first()
                .satisfies(ev -> assertThat(ev.detail()).isEqualTo(Map.of("step", "mfa")));
        assertThat(events).filteredOn(ev -> ev.type().equals(AccountEvent.MFA_REQUIRED)).first()
                .satisfies(ev -> assertThat(ev.ip()).isEqualTo(PHONE.ip()));
    }

    @Test
    void aDatabaseDumpHoldsNeitherTheSecretNorARecoveryCodeNorAnMfaToken() {
        Enrolled e = enrolled("mfa.dump");
        MfaRequired pending = passwordStep(e);
        String base32 = new Base32().encodeAsString(e.secret());
        List<String> stored = DatabaseRows.everyStoredValue(t.dataSource);
        assertThat(stored).noneMatch(v -> v.contains(base32) || v.contains(pending.mfaToken()));
        for (String code : e.recoveryCodes()) {
            assertThat(stored).noneMatch(v -> v.contains(code) || v.contains(code.replace("-", "")));
        }
        assertThat(DatabaseRows.one(t.dataSource, "select token_digest from mfa_challenges where user_id = ?",
                e.user().id())).containsEntry("token_digest", DatabaseRows.sha256(pending.mfaToken()));
        String hex = java.util.HexFormat.of().formatHex(e.secret());
        assertThat(stored).noneMatch(v -> v.toLowerCase().contains(hex));
        assertThat(DatabaseRows.query(t.dataSource, "select * from mfa_recovery_codes where user_id = ?",
                e.user().id())).hasSize(10);
    }

    @Test
    void expiredSecondStepsArePurged() {
        Enrolled e = enrolled("mfa.purge");
        passwordStep(e);
        t.clock.advance(Duration.ofMinutes(6));
        accounts.purgeExpired();
        assertThat(DatabaseRows.query(t.dataSource, "select id from mfa_challenges where user_id = ?",
                e.user().id())).isEmpty();
    }
}
