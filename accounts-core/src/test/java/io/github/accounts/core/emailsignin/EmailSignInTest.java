package io.github.accounts.core.emailsignin;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.mfa.Totp;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StatementLog;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in by email: the mailed link and code each sign in once and spend the other; a new request replaces the old;
 * expiry, dead codes, throttles, the second step, disabled and unknown addresses, and the digests at rest.
 */
@OnEachDatabase
class EmailSignInTest extends StorageTest {
    private static final Pattern LINK =
            Pattern.compile("https://accounts\\.test/#email-sign-in-token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("\\n(\\d{3}) (\\d{3})\\n");
    private static final ClientInfo NOWHERE = ClientInfo.unknown();

    /** Room for the wrong-code tests: the account throttle blocks after 20 failures here, not 5. */
    @Override
    protected AccountsConfig config() {
        AccountsConfig base = super.config();
        ThrottleLimits t = base.throttling();
        return base.withThrottling(new ThrottleLimits(20, 100, t.window(), t.baseBackoff(), t.maxBackoff(),
                t.signUps(), t.verificationMails(), t.emailSignInsPerEmail(), t.emailSignInsPerAddress()));
    }

    /** What a sign-in mail carries. */
    record Mailed(String token, String code, Mail mail) {
    }

    private Mailed request(String email) {
        Mail mail = Mailbox.next(t, email, () -> accounts.emailSignIn().request(email, NOWHERE));
        Matcher link = LINK.matcher(mail.body());
        Matcher code = CODE.matcher(mail.body());
        assertThat(link.find()).as(mail.body()).isTrue();
        assertThat(code.find()).as(mail.body()).isTrue();
        return new Mailed(link.group(1), code.group(1) + code.group(2), mail);
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "000001" : "000000";
    }

    @Test
    void theLinkSignsInOnceAndSpendsTheCode() {
        TestUser user = TestUsers.signUpVerified(t, "esi.link");
        Mailed mailed = request(user.email());
        assertThat(mailed.mail().subject()).isEqualTo("Your sign-in link");

        SignedIn signedIn = accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE);

        assertThat(signedIn.needsSecondFactor()).isFalse();
        assertThat(accounts.sessions().authenticate(signedIn.session().sessionToken()).userId()).isEqualTo(user.id());
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE));
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.emailSignIn().confirmCode(user.email(), mailed.code(), NOWHERE));
        List<AccountEvent> events = accounts.operators().userEvents(user.id(), null, 10).events();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AccountEvent.SIGN_IN_REQUESTED);
            assertThat(e.detail()).containsEntry("method", "email");
        }).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AccountEvent.SIGNED_IN);
            assertThat(e.detail()).containsEntry("method", "email_link");
        });
    }

    @Test
    void theCodeSignsInOnceWithSpacesOrHyphensAndSpendsTheLink() {
        TestUser user = TestUsers.signUpVerified(t, "esi.code");
        Mailed mailed = request(user.email());
        String spaced = mailed.code().substring(0, 3) + "-" + mailed.code().substring(3);

        SignedIn signedIn = accounts.emailSignIn().confirmCode(" " + user.email().toUpperCase(), spaced, NOWHERE);

        assertThat(signedIn.user().id()).isEqualTo(user.id());
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.emailSignIn().confirmCode(user.email(), mailed.code(), NOWHERE));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE));
        assertThat(accounts.operators().userEvents(user.id(), null, 10).events()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AccountEvent.SIGNED_IN);
            assertThat(e.detail()).containsEntry("method", "email_code");
        });
    }

    @Test
    void theCodeIsDeadAfterFiveWrongTriesEvenWithTheRightDigits() {
        TestUser user = TestUsers.signUpVerified(t, "esi.dead");
        Mailed mailed = request(user.email());
        for (int i = 0; i < PendingSignIns.MAX_CODE_FAILURES; i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS,
                    () -> accounts.emailSignIn().confirmCode(user.email(), wrong(mailed.code()), NOWHERE));
        }

        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.emailSignIn().confirmCode(user.email(), mailed.code(), NOWHERE));
        assertThat(accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE).user().id()).isEqualTo(user.id());
    }

    @Test
    void fourWrongTriesLeaveTheCodeAlive() {
        TestUser user = TestUsers.signUpVerified(t, "esi.four");
        Mailed mailed = request(user.email());
        for (int i = 0; i < PendingSignIns.MAX_CODE_FAILURES - 1; i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS,
                    () -> accounts.emailSignIn().confirmCode(user.email(), wrong(mailed.code()), NOWHERE));
        }

        assertThat(accounts.emailSignIn().confirmCode(user.email(), mailed.code(), NOWHERE).user().id())
                .isEqualTo(user.id());
    }

    @Test
    void wrongCodesCountTowardTheAccountsSignInThrottle() {
        TestUser user = TestUsers.signUpVerified(t, "esi.throttle");
        for (int i = 0; i < 20; i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS,
                    () -> accounts.emailSignIn().confirmCode(user.email(), "123456", NOWHERE));
        }

        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), NOWHERE));
    }

    @Test
    void aSecondRequestKillsTheFirstTokenAndCode() {
        TestUser user = TestUsers.signUpVerified(t, "esi.twice");
        Mailed first = request(user.email());
        Mailed second = request(user.email());

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.emailSignIn().confirmLink(first.token(), NOWHERE));
        if (!first.code().equals(second.code())) {
            failsWith(ErrorCode.INVALID_CREDENTIALS,
                    () -> accounts.emailSignIn().confirmCode(user.email(), first.code(), NOWHERE));
        }
        assertThat(accounts.emailSignIn().confirmCode(user.email(), second.code(), NOWHERE).user().id())
                .isEqualTo(user.id());
    }

    @Test
    void theCodeExpiresAfterTenMinutesAndTheLinkAfterFifteen() {
        TestUser user = TestUsers.signUpVerified(t, "esi.expiry");
        Mailed mailed = request(user.email());
        t.clock.advance(Duration.ofMinutes(10));
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.emailSignIn().confirmCode(user.email(), mailed.code(), NOWHERE));
        t.clock.advance(Duration.ofMinutes(5));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE));

        Mailed again = request(user.email());
        t.clock.advance(Duration.ofMinutes(14));
        assertThat(accounts.emailSignIn().confirmLink(again.token(), NOWHERE).user().id()).isEqualTo(user.id());
    }

    @Test
    void anUnknownAddressIsToldHowToSignUp() {
        String nobody = uniqueEmail("esi.nobody");
        Mail mail = Mailbox.next(t, nobody, () -> accounts.emailSignIn().request(nobody, NOWHERE));

        assertThat(mail.subject()).isEqualTo("Sign-in attempt");
        assertThat(mail.body()).contains("no account").contains("sign up").doesNotContain("email-sign-in-token")
                .doesNotContainPattern("\\d{3} \\d{3}");
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.emailSignIn().confirmCode(nobody, "123456", NOWHERE));
    }

    @Test
    void aMalformedAddressFailsValidation() {
        failsValidation(() -> accounts.emailSignIn().request("not an address", NOWHERE), "email", "invalid");
    }

    @Test
    void aDisabledAccountGetsNoMailAndNeverASession() {
        TestUser user = TestUsers.signUpVerified(t, "esi.disabled");
        Mailed mailed = request(user.email());
        TestUser op = TestUsers.signUp(accounts, "esi.operator");
        Authenticated operator = accounts.sessions().authenticate(op.session().sessionToken());
        accounts.operators().disableUser(operator, user.id(), null);

        failsWith(ErrorCode.ACCOUNT_DISABLED, () -> accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE));
        failsWith(ErrorCode.ACCOUNT_DISABLED,
                () -> accounts.emailSignIn().confirmCode(user.email(), mailed.code(), NOWHERE));
        int before = Mailbox.to(t, user.email()).size();
        accounts.emailSignIn().request(user.email(), NOWHERE);
        String sentinel = uniqueEmail("esi.sentinel"); // the outbox sends in order: once this came, all before did
        Mailbox.next(t, sentinel, () -> accounts.emailSignIn().request(sentinel, NOWHERE));
        assertThat(Mailbox.to(t, user.email())).hasSize(before);
    }

    @Test
    void requestsAreLimitedPerEmailForKnownAndUnknownAddressesAlike() {
        TestUser user = TestUsers.signUpVerified(t, "esi.limit");
        String nobody = uniqueEmail("esi.limit.nobody");
        for (String email : List.of(user.email(), nobody)) {
            for (int i = 0; i < ThrottleLimits.DEFAULT_EMAIL_SIGN_INS_PER_EMAIL.count(); i++) {
                accounts.emailSignIn().request(email, NOWHERE);
            }
            failsWith(ErrorCode.THROTTLED, () -> accounts.emailSignIn().request(email, NOWHERE));
        }
    }

    @Test
    void requestsAreLimitedPerClientAddress() {
        ClientInfo from = new ClientInfo(null, "198.51.100.29");
        for (int i = 0; i < ThrottleLimits.DEFAULT_EMAIL_SIGN_INS_PER_ADDRESS.count(); i++) {
            accounts.emailSignIn().request(uniqueEmail("esi.address"), from);
        }

        failsWith(ErrorCode.THROTTLED, () -> accounts.emailSignIn().request(uniqueEmail("esi.address"), from));
        accounts.emailSignIn().request(uniqueEmail("esi.address"), new ClientInfo(null, "198.51.100.30"));
    }

    @Test
    void aTotpUserGetsTheSecondStep() {
        TestUser user = TestUsers.signUpVerified(t, "esi.totp");
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(who, user.password()).secret());
        accounts.mfa().confirmTotp(who, nextCode(secret));
        Mailed mailed = request(user.email());

        SignedIn first = accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE);

        assertThat(first.needsSecondFactor()).isTrue();
        assertThat(first.session()).isNull();
        SignedIn done = accounts.signIns().completeSignIn(first.mfaRequired().mfaToken(), nextCode(secret), NOWHERE);
        assertThat(done.session()).isNotNull();
    }

    @Test
    void withTotpOnTheEmailIsMarkedVerifiedOnlyOnceTheSecondStepCompletes() {
        TestUser user = TestUsers.signUpVerified(t, "esi.totp.verify");
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(who, user.password()).secret());
        accounts.mfa().confirmTotp(who, nextCode(secret));
        // an account from before "verified email before factors": TOTP on, the address never proved
        DatabaseRows.update(t.dataSource, "update users set email_verified_at = null where id = ?", user.id());
        Mailed mailed = request(user.email());

        SignedIn first = accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE);

        assertThat(first.needsSecondFactor()).isTrue();
        assertThat(first.user().emailVerified()).isFalse();
        assertThat(verifiedAt(user.id())).as("not after the first step alone").isNull();
        SignedIn done = accounts.signIns().completeSignIn(first.mfaRequired().mfaToken(), nextCode(secret), NOWHERE);
        assertThat(done.user().emailVerified()).isTrue();
        assertThat(verifiedAt(user.id())).isNotNull();
        assertThat(accounts.sessions().authenticate(done.session().sessionToken()).user().emailVerified()).isTrue();
    }

    @Test
    void aPasswordSignInsSecondStepMarksNothingVerified() {
        TestUser user = TestUsers.signUpVerified(t, "esi.totp.password");
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(who, user.password()).secret());
        accounts.mfa().confirmTotp(who, nextCode(secret));
        DatabaseRows.update(t.dataSource, "update users set email_verified_at = null where id = ?", user.id());

        SignedIn first = accounts.signIns().signIn(user.email(), user.password(), NOWHERE);
        SignedIn done = accounts.signIns().completeSignIn(first.mfaRequired().mfaToken(), nextCode(secret), NOWHERE);

        assertThat(done.user().emailVerified()).isFalse();
        assertThat(verifiedAt(user.id())).isNull();
    }

    private String verifiedAt(long userId) {
        return DatabaseRows.one(t.dataSource, "select email_verified_at from users where id = ?", userId)
                .get("email_verified_at");
    }

    private String nextCode(byte[] secret) {
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        return Totp.code(secret, Totp.step(t.clock.instant()));
    }

    @Test
    void theFirstProofOfAnUnverifiedInboxClaimsTheAccount() {
        TestUser user = TestUsers.signUp(accounts, "esi.claim");
        assertThat(user.signedIn().user().emailVerified()).isFalse();
        Mailed mailed = request(user.email());

        SignedIn signedIn = accounts.emailSignIn().confirmLink(mailed.token(), NOWHERE);

        assertThat(signedIn.user().emailVerified()).isTrue();
        failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(user.session().sessionToken()));
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.signIns().signIn(user.email(), user.password(), NOWHERE));
        assertThat(accounts.sessions().authenticate(signedIn.session().sessionToken()).userId()).isEqualTo(user.id());
    }

    @Test
    void anEmailChangeOrAPasswordChangeEndsAPendingSignIn() {
        TestUser user = TestUsers.signUpVerified(t, "esi.moved");
        Mailed toOldAddress = request(user.email());
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        String newEmail = uniqueEmail("esi.moved.new");
        String token = Mailbox.next(t, newEmail,
                () -> accounts.emailChange().request(who, newEmail, user.password(), NOWHERE)).token();
        accounts.emailChange().confirm(token, NOWHERE);

        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.emailSignIn().confirmLink(toOldAddress.token(), NOWHERE));

        Mailed toNewAddress = request(newEmail);
        accounts.profile().changePassword(accounts.sessions().authenticate(user.session().sessionToken()),
                user.password(), TestUsers.strongPassword());
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.emailSignIn().confirmLink(toNewAddress.token(), NOWHERE));
    }

    @Test
    void onlyDigestsAreStoredAndTheCodesDigestIsKeyed() {
        TestUser user = TestUsers.signUpVerified(t, "esi.rest");
        Mailed mailed = request(user.email());

        Map<String, String> row = DatabaseRows.one(t.dataSource,
                "select token_digest, code_digest from email_sign_ins where user_id = ?", user.id());
        assertThat(row.values()).noneMatch(v -> v.contains(mailed.token()) || v.contains(mailed.code()));
        assertThat(row.get("code_digest")).isEqualTo(TestAccounts.throttleKeys()
                .account("email-sign-in-code", user.email() + "\n" + mailed.code()));
    }

    @Test
    void requestsForKnownAndUnknownAddressesDoTheSameDatabaseWork() throws InterruptedException {
        TestUser known = TestUsers.signUpVerified(t, "esi.same.work");
        StatementLog log = new StatementLog(t.dataSource);
        BlockingQueue<String> sent = new LinkedBlockingQueue<>();
        try (EntityManagerFactory emf = Accounts.entityManagerFactory(log.dataSource(), Map.of());
             Accounts logged = Accounts.builder(emf).developmentKeys().config(config()).clock(t.clock).publicUrl(TestAccounts.PUBLIC_URL)
                     .mailer((to, subject, body) -> sent.add(subject)).build()) {
            logged.emailSignIn().request(uniqueEmail("esi.warm.up"), new ClientInfo(null, "203.0.113.70"));
            assertThat(sent.poll(5, TimeUnit.SECONDS)).isNotNull();
            log.take();

            logged.emailSignIn().request(known.email(), new ClientInfo(null, "203.0.113.71"));
            assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("Your sign-in link"); // its event is written by now
            List<String> forKnown = log.take(Thread.currentThread());
            logged.emailSignIn().request(uniqueEmail("esi.nobody"), new ClientInfo(null, "203.0.113.72"));
            assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("Sign-in attempt");
            List<String> forUnknown = log.take(Thread.currentThread());

            assertThat(forUnknown).isEqualTo(forKnown).noneMatch(sql -> sql.contains("account_events"));
        }
    }

    @Test
    void aHostCanTurnItOff() {
        try (Accounts off = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config()).clock(t.clock).emailSignIn(false).build()) {
            assertThat(off.emailSignIn().enabled()).isFalse();
            failsWith(ErrorCode.NOT_FOUND, () -> off.emailSignIn().request(uniqueEmail("esi.off"), NOWHERE));
            failsWith(ErrorCode.NOT_FOUND, () -> off.emailSignIn().confirmLink("x", NOWHERE));
            failsWith(ErrorCode.NOT_FOUND, () -> off.emailSignIn().confirmCode("a@b.example", "123456", NOWHERE));
        }
    }
}
