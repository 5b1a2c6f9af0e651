package io.github.accounts.core.mail;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StatementLog;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.throttle.ThrottleKeys;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/** Password reset by email: request, mailed token, confirm; single use, expiry, and silence about unknown emails. */
@OnEachDatabase
class PasswordResetTest extends StorageTest {
    private String requestReset(TestUser user) {
        return Mailbox.next(t, user.email(), () -> accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown()))
                .token();
    }

    private void confirmReset(String token, String newPassword) {
        accounts.mail().confirmPasswordReset(token, newPassword, ClientInfo.unknown());
    }

    /** Waits until every mail handed to the outbox so far has gone out (it sends them in order, one at a time). */
    private void drainOutbox() {
        TestUser sentinel = TestUsers.signUp(accounts, "sentinel");
        Mailbox.next(t, sentinel.email(), () -> accounts.mail().requestPasswordReset(sentinel.email(), ClientInfo.unknown()));
    }

    private List<Mail> mailsTo(String email) {
        return Mailbox.to(t, email);
    }

    @Test
    void passwordResetSetsTheNewPasswordAndRevokesEverySession() {
        TestUser user = TestUsers.signUp(accounts, "reset");
        SignedIn otherDevice = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());

        Mail mail = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestPasswordReset("  " + user.email().toUpperCase() + " ", ClientInfo.unknown()));
        assertThat(mail.subject()).isEqualTo("Reset your password");
        String newPassword = strongPassword();
        confirmReset(mail.token(), newPassword);

        for (SignedIn s : List.of(user.signedIn(), otherDevice)) {
            failsWith(ErrorCode.UNAUTHENTICATED, () -> accounts.sessions().authenticate(s.session().sessionToken()));
            failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(s.session().updateToken()));
        }
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
        assertThat(accounts.signIns().signIn(user.email(), newPassword, ClientInfo.unknown()).user().id()).isEqualTo(user.id());
    }

    @Test
    void passwordResetClearsSignInThrottling() {
        TestUser user = TestUsers.signUp(accounts, "reset.throttle");
        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));

        String newPassword = strongPassword();
        confirmReset(requestReset(user), newPassword);

        assertThat(accounts.signIns().signIn(user.email(), newPassword, ClientInfo.unknown()).user().id()).isEqualTo(user.id());
    }

    @Test
    void resetTokenWorksOnce() {
        TestUser user = TestUsers.signUp(accounts, "reset.once");
        String token = requestReset(user);
        confirmReset(token, strongPassword());

        failsWith(ErrorCode.INVALID_TOKEN, () -> confirmReset(token, strongPassword()));
    }

    @Test
    void resetTokenExpiresAfterThirtyMinutes() {
        TestUser early = TestUsers.signUp(accounts, "reset.early");
        TestUser late = TestUsers.signUp(accounts, "reset.late");
        String earlyToken = requestReset(early);
        String lateToken = requestReset(late);

        t.clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        confirmReset(earlyToken, strongPassword());
        t.clock.advance(Duration.ofSeconds(1));
        failsWith(ErrorCode.INVALID_TOKEN, () -> confirmReset(lateToken, strongPassword()));
        accounts.signIns().signIn(late.email(), late.password(), ClientInfo.unknown());
    }

    @Test
    void aNewerRequestInvalidatesTheOlderToken() {
        TestUser user = TestUsers.signUp(accounts, "reset.newer");
        String older = requestReset(user);
        String newer = requestReset(user);
        assertThat(newer).isNotEqualTo(older);

        failsWith(ErrorCode.INVALID_TOKEN, () -> confirmReset(older, strongPassword()));
        confirmReset(newer, strongPassword());
    }

    @Test
    void weakNewPasswordIsRefusedAndTheTokenStaysUsable() {
        TestUser user = TestUsers.signUp(accounts, "reset.weak");
        String token = requestReset(user);

        failsValidation(() -> confirmReset(token, "short"), "new_password", "password_too_weak");
        failsValidation(() -> confirmReset(token, "passwordpassword1"), "new_password", "password_too_weak");
        failsValidation(() -> confirmReset(token, "ada q" + strongPassword()), "new_password", "password_too_weak");
        failsValidation(() -> confirmReset(token, null), "new_password", "required");
        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());

        confirmReset(token, strongPassword());
    }

    @Test
    void unknownOrMalformedResetTokensAreInvalidToken() {
        TestUser user = TestUsers.signUp(accounts, "reset.bad");
        String verificationToken = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestEmailVerification(accounts.sessions().authenticate(user.session().sessionToken()))).token();
        List<String> bad = new ArrayList<>(Arrays.asList("garbage", "x".repeat(10_000),
                user.session().sessionToken(), verificationToken));
        for (String token : bad) {
            failsWith(ErrorCode.INVALID_TOKEN, () -> confirmReset(token, strongPassword()));
        }
        for (String missing : Arrays.asList(null, "")) { // a missing field, not a wrong token
            failsWith(ErrorCode.VALIDATION_FAILED, () -> confirmReset(missing, strongPassword()));
        }
    }

    @Test
    void resetRequestWithAMalformedEmailIsValidationFailed() {
        failsValidation(() -> accounts.mail().requestPasswordReset("not-an-email", ClientInfo.unknown()), "email", "invalid");
        failsValidation(() -> accounts.mail().requestPasswordReset(null, ClientInfo.unknown()), "email", "required");
    }

    @Test
    void resetRequestForAnUnknownEmailSendsNothingAndAnswersTheSame() {
        String unknown = uniqueEmail("reset.unknown");
        TestUser known = TestUsers.signUp(accounts, "reset.known");

        accounts.mail().requestPasswordReset(unknown, new ClientInfo(null, "203.0.113.50"));
        accounts.mail().requestPasswordReset(known.email(), new ClientInfo(null, "203.0.113.51"));
        drainOutbox();

        assertThat(mailsTo(unknown)).isEmpty();
        assertThat(mailsTo(known.email())).hasSize(1);
        // Both requests were counted alike, per email and per address: nothing in the store tells them apart.
        ThrottleKeys keys = TestAccounts.throttleKeys();
        for (String key : List.of(keys.account("reset", unknown), keys.account("reset", known.email()),
                keys.address("reset", "203.0.113.50"), keys.address("reset", "203.0.113.51"))) {
            assertThat(DatabaseRows.one(t.dataSource, "select failures from sign_in_throttle where throttle_key = ?", key))
                    .containsEntry("failures", "1");
        }
    }

    @Test
    void aFailingMailerNeverFailsTheRequest() {
        TestUser user = TestUsers.signUp(accounts, "reset.smtp.down");
        Mailer broken = (to, subject, body) -> {
            throw new IOException("smtp down");
        };
        try (Accounts withBrokenMail = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config()).clock(t.clock).mailer(broken).build()) {
            withBrokenMail.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
            withBrokenMail.mail().requestEmailVerification(withBrokenMail.sessions().authenticate(user.session().sessionToken()));
        }
    }

    @Test
    void aSlowMailerNeverHoldsUpTheRequest() throws Exception {
        TestUser user = TestUsers.signUp(accounts, "reset.smtp.slow");
        CountDownLatch serverAnswers = new CountDownLatch(1);
        CountDownLatch sent = new CountDownLatch(1);
        Mailer stuck = (to, subject, body) -> {
            serverAnswers.await();
            sent.countDown();
        };
        try (Accounts withSlowMail = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config()).clock(t.clock).mailer(stuck).build()) {
            var request = CompletableFuture.runAsync(
                    () -> withSlowMail.mail().requestPasswordReset(user.email(), ClientInfo.unknown()));
            request.get(30, TimeUnit.SECONDS); // returns while the mailer is still stuck
            assertThat(sent.getCount()).isOne();
            serverAnswers.countDown();
            assertThat(sent.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void resetRequestsPerEmailAreLimitedSoTheyCannotFloodAnInbox() {
        TestUser user = TestUsers.signUp(accounts, "reset.flood");
        for (int i = 0; i < 8; i++) {
            accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
        }
        drainOutbox();
        assertThat(mailsTo(user.email())).hasSize(5);

        t.clock.advance(Duration.ofMinutes(16)); // the throttle would let one more through: the mail budget does not
        accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
        drainOutbox();
        assertThat(mailsTo(user.email())).hasSize(5);

        t.clock.advance(MailBudget.WINDOW);
        accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
        drainOutbox();
        assertThat(mailsTo(user.email())).hasSize(6);
    }


    @Test
    void resetRequestsOverTheLimitWriteNothing() {
        ThrottleLimits limits = new ThrottleLimits(5, 3, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
        try (TestAccounts custom = new TestAccounts(database,
                AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING).withThrottling(limits))) {
            ClientInfo flooder = new ClientInfo("bot", "203.0.113.99");
            for (int i = 0; i < 3; i++) {
                custom.accounts.mail().requestPasswordReset(uniqueEmail("reset.spray"), flooder);
            }
            List<Map<String, String>> before = DatabaseRows.query(custom.dataSource,
                    "select throttle_key, failures, updated_at from sign_in_throttle order by throttle_key");

            for (int i = 0; i < 20; i++) {
                custom.accounts.mail().requestPasswordReset(uniqueEmail("reset.spray"), flooder);
            }

            assertThat(DatabaseRows.query(custom.dataSource,
                    "select throttle_key, failures, updated_at from sign_in_throttle order by throttle_key"))
                    .isEqualTo(before);
        }
    }


    @Test
    void resetRequestsForKnownAndUnknownEmailsDoTheSameDatabaseWork() {
        TestUser known = TestUsers.signUp(accounts, "reset.same.work");
        StatementLog log = new StatementLog(t.dataSource);
        try (EntityManagerFactory emf = Accounts.entityManagerFactory(log.dataSource(), Map.of());
             Accounts logged = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config()).clock(t.clock).build()) {
            logged.mail().requestPasswordReset(uniqueEmail("reset.warm.up"), new ClientInfo(null, "203.0.113.60"));
            log.take();

            logged.mail().requestPasswordReset(known.email(), new ClientInfo(null, "203.0.113.61"));
            List<String> forKnown = log.take();
            logged.mail().requestPasswordReset(uniqueEmail("reset.nobody"), new ClientInfo(null, "203.0.113.62"));
            List<String> forUnknown = log.take();

            assertThat(forUnknown).isEqualTo(forKnown);
        }
    }
}
