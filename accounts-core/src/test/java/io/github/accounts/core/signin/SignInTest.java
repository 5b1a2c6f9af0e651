package io.github.accounts.core.signin;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.ScryptFunction;
import com.password4j.types.Argon2;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.session.SessionInfo;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.Concurrently.Outcome;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Sign-in: a session per device, one answer for unknown emails and wrong passwords at the same cost, and
 * legacy digests upgraded on the way in.
 */
@OnEachDatabase
class SignInTest extends StorageTest {
    private static final String CURRENT_PARAMS = "$argon2id$v=19$m=" + TestAccounts.CHEAP_HASHING.memoryKib() + ",t=1,p=1$";

    private String storedDigest(TestUser user) {
        return DatabaseRows.one(t.dataSource, "select password_digest from users where id = ?", user.id())
                .get("password_digest");
    }

    private void storeDigest(TestUser user, String digest) {
        DatabaseRows.update(t.dataSource, "update users set password_digest = ? where id = ?", digest, user.id());
    }

    @Test
    void aPasswordSignInsEventNamesItsMethod() {
        TestUser user = TestUsers.signUpVerified(t, "signin.method");

        SignedIn in = accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());

        assertThat(accounts.events().page(accounts.sessions().authenticate(in.session().sessionToken()), null, 100)
                .events()).filteredOn(e -> e.type().equals(io.github.accounts.core.event.AccountEvent.SIGNED_IN)
                        && Long.valueOf(in.session().id()).equals(e.sessionId()))
                .singleElement().satisfies(e -> assertThat(e.detail()).isEqualTo(java.util.Map.of("method",
                        "password")));
    }

    @Test
    void signInGivesEachDeviceItsOwnSession() {
        TestUser user = TestUsers.signUp(accounts, "devices");
        SignedIn phone = accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("Phone/1.0", "198.51.100.1"));
        SignedIn laptop = accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("Laptop/2.0", "198.51.100.2"));

        assertThat(phone.user()).isEqualTo(user.signedIn().user());
        assertThat(phone.session().id()).isNotEqualTo(laptop.session().id()).isNotEqualTo(user.session().id());
        assertThat(accounts.sessions().authenticate(phone.session().sessionToken()).sessionId()).isEqualTo(phone.session().id());
        assertThat(accounts.sessions().authenticate(laptop.session().sessionToken()).sessionId()).isEqualTo(laptop.session().id());
        assertThat(accounts.sessions().authenticate(user.session().sessionToken()).sessionId()).isEqualTo(user.session().id());
        assertThat(accounts.sessions().list(accounts.sessions().authenticate(phone.session().sessionToken())))
                .extracting(SessionInfo::userAgent, SessionInfo::ip)
                .contains(tuple("Phone/1.0", "198.51.100.1"), tuple("Laptop/2.0", "198.51.100.2"));
    }

    @Test
    void signInTrimsAndIgnoresTheCaseOfTheEmail() {
        TestUser user = TestUsers.signUp(accounts, "case");
        SignedIn signedIn = accounts.signIns().signIn("  " + user.email().toUpperCase() + " ", user.password(), ClientInfo.unknown());
        assertThat(signedIn.user().id()).isEqualTo(user.id());
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSameAnswer() {
        TestUser user = TestUsers.signUp(accounts, "same-answer");
        AccountsException wrong = failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));
        AccountsException unknown = failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.signIns().signIn(uniqueEmail("nobody"), strongPassword(), ClientInfo.unknown()));

        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
        assertThat(unknown.errors()).isEqualTo(wrong.errors()).isEmpty();
        assertThat(unknown.retryAfter()).isEqualTo(wrong.retryAfter()).isEmpty();
    }

    @Test
    void unknownEmailSignInPerformsAFullHashVerification() {
        TestUser user = TestUsers.signUp(accounts, "cost");
        long before = accounts.passwordVerifications();
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.signIns().signIn(uniqueEmail("nobody"), strongPassword(), ClientInfo.unknown()));
        long afterUnknown = accounts.passwordVerifications();
        failsWith(ErrorCode.INVALID_CREDENTIALS,
                () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));
        long afterWrong = accounts.passwordVerifications();
        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        long afterRight = accounts.passwordVerifications();

        assertThat(afterUnknown - before).isEqualTo(1);
        assertThat(afterWrong - afterUnknown).isEqualTo(1);
        assertThat(afterRight - afterWrong).isEqualTo(1);
    }

    @Test
    void signInWithAShortPasswordIsJustWrongSinceThePolicyIsForNewPasswords() {
        TestUser user = TestUsers.signUp(accounts, "short");
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "short", ClientInfo.unknown()));
    }

    @Test
    void signInRefusesMissingFieldsAndOverlongPasswordsBeforeHashing() {
        long before = accounts.passwordVerifications();
        failsValidation(() -> accounts.signIns().signIn(null, null, ClientInfo.unknown()), "email", "required", "password", "required");
        failsValidation(() -> accounts.signIns().signIn(" ", "", ClientInfo.unknown()), "email", "required", "password", "required");
        failsValidation(() -> accounts.signIns().signIn(uniqueEmail("long"), "x".repeat(1025), ClientInfo.unknown()),
                "password", "too_long");
        assertThat(accounts.passwordVerifications()).isEqualTo(before);
    }

    @Test
    void signInWithACurrentDigestLeavesItAlone() {
        TestUser user = TestUsers.signUp(accounts, "current");
        String digest = storedDigest(user);
        assertThat(digest).startsWith(CURRENT_PARAMS);

        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        assertThat(storedDigest(user)).isEqualTo(digest);
    }

    @Test
    void legacyBcryptUserSignsInAndIsRehashedToArgon2id() {
        TestUser user = TestUsers.signUp(accounts, "bcrypt");
        storeDigest(user, Password.hash(user.password()).withBcrypt().getResult());
        assertThat(storedDigest(user)).startsWith("$2");

        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());

        String upgraded = storedDigest(user);
        assertThat(upgraded).startsWith(CURRENT_PARAMS);
        assertThat(Password.check(user.password(), upgraded).with(Argon2Function.getInstanceFromHash(upgraded))).isTrue();
        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));
    }

    @Test
    void legacyScryptUserSignsInAndIsRehashedToArgon2id() {
        TestUser user = TestUsers.signUp(accounts, "scrypt");
        storeDigest(user, Password.hash(user.password()).addRandomSalt()
                .with(ScryptFunction.getInstance(1024, 8, 1)).getResult());

        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        assertThat(storedDigest(user)).startsWith(CURRENT_PARAMS);
    }

    @Test
    void argon2DigestWithOutdatedParametersIsRehashedToTheCurrentOnes() {
        TestUser user = TestUsers.signUp(accounts, "outdated");
        storeDigest(user, Password.hash(user.password()).addRandomSalt(16)
                .with(Argon2Function.getInstance(512, 2, 1, 32, Argon2.ID)).getResult());
        assertThat(storedDigest(user)).startsWith("$argon2id$v=19$m=512,t=2,p=1$");

        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        assertThat(storedDigest(user)).startsWith(CURRENT_PARAMS);
    }

    @Test
    void wrongPasswordAgainstALegacyDigestLeavesItAlone() {
        TestUser user = TestUsers.signUp(accounts, "bcrypt.wrong");
        String bcrypt = Password.hash(user.password()).withBcrypt().getResult();
        storeDigest(user, bcrypt);

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));
        assertThat(storedDigest(user)).isEqualTo(bcrypt);
    }

    @Test
    void signInBeyondTheHashingBulkheadIsOverloadedWithRetryAfter() {
        // Two permits: the background warm-up holds at most one, so the sign-up below always gets in.
        // A high sign-in limit: each attempt in flight counts against it until judged.
        AccountsConfig tiny = config().withHashing(new HashingParams(16_384, 4, 1, 2, 0)).withThrottling(
                new ThrottleLimits(100, 100, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)));
        try (TestAccounts small = new TestAccounts(database, tiny)) {
            TestUser user = TestUsers.signUp(small.accounts, "overloaded");

            List<Outcome<SignedIn>> outcomes = Concurrently.run(12,
                    i -> small.accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));

            List<Throwable> failures = outcomes.stream().filter(o -> !o.succeeded()).map(Outcome::failure).toList();
            assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f).isInstanceOfSatisfying(AccountsException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                assertThat(e.retryAfter()).isPresent();
            }));
        }
    }

    @Test
    void unreadableStoredDigestIsJustInvalidCredentials() {
        TestUser user = TestUsers.signUp(accounts, "unreadable");
        storeDigest(user, user.password()); // e.g. an import gone wrong

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));
    }
}
