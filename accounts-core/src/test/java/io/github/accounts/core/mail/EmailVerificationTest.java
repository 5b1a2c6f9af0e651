package io.github.accounts.core.mail;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.user.UserInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/** Email verification: a mailed single-use token that sets {@code email_verified}. */
@OnEachDatabase
class EmailVerificationTest extends StorageTest {
    private String requestVerification(TestUser user) {
        Mail mail = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestEmailVerification(accounts.sessions().authenticate(user.session().sessionToken())));
        assertThat(mail.subject()).isEqualTo("Verify your email address");
        return mail.token();
    }

    @Test
    void confirmingTheMailedTokenMarksTheEmailVerified() {
        TestUser user = TestUsers.signUp(accounts, "verify");
        String token = requestVerification(user);
        t.clock.advance(Duration.ofMinutes(10));

        UserInfo verified = accounts.mail().confirmEmailVerification(token);

        assertThat(verified.id()).isEqualTo(user.id());
        assertThat(verified.emailVerified()).isTrue();
        assertThat(verified.updatedAt()).isEqualTo(t.clock.instant());
        assertThat(accounts.profile().me(accounts.sessions().authenticate(user.session().sessionToken())).emailVerified()).isTrue();
        assertThat(DatabaseRows.instant(t.dataSource, "select email_verified_at from users where id = ?", user.id()))
                .isEqualTo(t.clock.instant());
    }

    @Test
    void verificationTokenWorksOnce() {
        TestUser user = TestUsers.signUp(accounts, "verify.once");
        String token = requestVerification(user);
        accounts.mail().confirmEmailVerification(token);

        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.mail().confirmEmailVerification(token));
    }

    @Test
    void verificationTokenExpiresAfterTwentyFourHours() {
        TestUser early = TestUsers.signUp(accounts, "verify.early");
        TestUser late = TestUsers.signUp(accounts, "verify.late");
        String earlyToken = requestVerification(early);
        String lateToken = requestVerification(late);

        t.clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(accounts.mail().confirmEmailVerification(earlyToken).emailVerified()).isTrue();
        t.clock.advance(Duration.ofSeconds(1));
        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.mail().confirmEmailVerification(lateToken));
    }

    @Test
    void aNewerRequestInvalidatesTheOlderToken() {
        TestUser user = TestUsers.signUp(accounts, "verify.newer");
        String older = requestVerification(user);
        String newer = requestVerification(user);

        failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.mail().confirmEmailVerification(older));
        assertThat(accounts.mail().confirmEmailVerification(newer).emailVerified()).isTrue();
    }

    @Test
    void unknownOrMalformedVerificationTokensAreInvalidToken() {
        TestUser user = TestUsers.signUp(accounts, "verify.bad");
        String resetToken = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown())).token();
        List<String> bad = new ArrayList<>(Arrays.asList("garbage", "x".repeat(10_000),
                user.session().sessionToken(), resetToken));
        for (String token : bad) {
            failsWith(ErrorCode.INVALID_TOKEN, () -> accounts.mail().confirmEmailVerification(token));
        }
        for (String missing : Arrays.asList(null, "")) { // a missing field, not a wrong token
            failsWith(ErrorCode.VALIDATION_FAILED, () -> accounts.mail().confirmEmailVerification(missing));
        }
        assertThat(accounts.profile().me(accounts.sessions().authenticate(user.session().sessionToken())).emailVerified()).isFalse();
    }


    @Test
    void verificationMailIsLimitedToThreeAnHourPerAccount() {
        TestUser user = TestUsers.signUp(accounts, "verify.flood");
        Authenticated me = accounts.sessions().authenticate(user.session().sessionToken());
        for (int i = 0; i < 3; i++) {
            accounts.mail().requestEmailVerification(me);
        }

        AccountsException refused = failsWith(ErrorCode.THROTTLED, () -> accounts.mail().requestEmailVerification(me));

        assertThat(refused.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofHours(1)));
        t.clock.advance(Duration.ofHours(1));
        accounts.mail().requestEmailVerification(me);
        for (int i = 0; i < 100 && t.mails.stream().filter(m -> m.to().equals(user.email())).count() < 4; i++) {
            sleep();
        }
        assertThat(t.mails).filteredOn(m -> m.to().equals(user.email())).hasSize(4);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
