package io.github.accounts.core;

import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.Concurrently.Outcome;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.user.UserInfo;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
import static org.assertj.core.api.Assertions.assertThatCode;

/** Sign-up: the contract's input rules, email uniqueness, and the first session. */
@OnEachDatabase
class SignUpTest extends StorageTest {
    private static final String EMOJI = "\uD83D\uDE00"; // one code point, two chars


    private SignedIn signUp(String email, String fname, String lname, String password) {
        return accounts.signIns().signUp(new NewUser(email, fname, lname, password), ClientInfo.unknown());
    }

    @Test
    void signUpStoresTheUserNormalisedAndSignsIn() {
        String email = uniqueEmail("Mixed.Case");
        SignedIn signedIn = signUp("  " + email.toUpperCase() + "\t", "  Ada Q ", " Lovelace Byron\n", strongPassword());

        UserInfo user = signedIn.user();
        assertThat(user.id()).isPositive();
        assertThat(user.email()).isEqualTo(email.toLowerCase());
        assertThat(user.fname()).isEqualTo(FNAME);
        assertThat(user.lname()).isEqualTo(LNAME);
        assertThat(user.emailVerified()).isFalse();
        assertThat(user.createdAt()).isEqualTo(t.clock.instant());
        assertThat(user.updatedAt()).isEqualTo(user.createdAt());

        IssuedSession session = signedIn.session();
        assertThat(session.sessionToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(session.updateToken());
        assertThat(session.updateToken()).matches("[A-Za-z0-9_-]{43}");
        assertThat(session.expiresAt()).isEqualTo(t.clock.instant().plus(Duration.ofDays(7)));
        assertThat(session.refreshExpiresAt()).isEqualTo(t.clock.instant().plus(Duration.ofDays(7)));
        assertThat(accounts.sessions().authenticate(session.sessionToken()).user()).isEqualTo(user);
        assertThat(DatabaseRows.one(t.dataSource, "select email from users where id = ?", user.id()))
                .containsEntry("email", email.toLowerCase());
    }

    @Test
    void signUpWithMissingFieldsReportsEachOne() {
        failsValidation(() -> signUp(null, null, null, null),
                "email", "required", "fname", "required", "lname", "required", "password", "required");
        failsValidation(() -> signUp("  ", "", "\t ", ""),
                "email", "required", "fname", "required", "lname", "required", "password", "required");
    }

    @Test
    void signUpRefusesMalformedEmails() {
        for (String bad : List.of("no-at-sign.example.com", "@example.com", "a@b@example.com", "a@localhost",
                "a@.example.com", "a@example.", "a@exa..mple.com", "a b@example.com", "a\u0000b@example.com")) {
            failsValidation(() -> signUp(bad, FNAME, LNAME, strongPassword()), "email", "invalid");
        }
    }

    @Test
    void signUpAcceptsAnEmailOf254CharactersAndRefuses255() {
        String suffix = "." + System.nanoTime() + "@example.com";
        String at254 = "a".repeat(254 - suffix.length()) + suffix;
        assertThat(signUp(at254, FNAME, LNAME, strongPassword()).user().email()).hasSize(254);

        failsValidation(() -> signUp("b" + at254, FNAME, LNAME, strongPassword()), "email", "too_long");
    }

    @Test
    void signUpAcceptsNamesOf128CharactersAndRefuses129() {
        String name128 = "n".repeat(128);
        UserInfo user = signUp(uniqueEmail("names"), name128, name128, strongPassword()).user();
        assertThat(user.fname()).isEqualTo(name128);
        assertThat(user.lname()).isEqualTo(name128);

        failsValidation(() -> signUp(uniqueEmail("names"), name128 + "n", name128 + "n", strongPassword()),
                "fname", "too_long", "lname", "too_long");
    }

    @Test
    void nameLimitCountsCharsSoThatEveryDatabaseCanStoreTheName() {
        String name128 = EMOJI.repeat(64); // 64 code points, 128 chars: what H2's VARCHAR(128) holds
        UserInfo user = signUp(uniqueEmail("emoji"), name128, "Lovelace Byron", strongPassword()).user();
        assertThat(user.fname()).isEqualTo(name128);
        assertThat(DatabaseRows.one(t.dataSource, "select fname from users where id = ?", user.id()))
                .containsEntry("fname", name128);

        failsValidation(() -> signUp(uniqueEmail("emoji"), name128 + EMOJI, LNAME, strongPassword()),
                "fname", "too_long");
    }

    @Test
    void signUpRefusesNamesWithControlCharacters() {
        failsValidation(() -> signUp(uniqueEmail("control"), "Ann\nMarie", "Smith\u0007", strongPassword()),
                "fname", "invalid", "lname", "invalid");
        failsValidation(() -> signUp(uniqueEmail("control"), "Ann\u007fMarie", LNAME, strongPassword()),
                "fname", "invalid");
    }

    @Test
    void signUpReportsEveryInvalidFieldAtOnce() {
        failsValidation(() -> signUp("not-an-email", "", "x".repeat(129), "short"),
                "email", "invalid", "fname", "required", "lname", "too_long", "password", "password_too_weak");
    }

    @Test
    void signUpAppliesThePasswordPolicyWithTheUsersOwnEmailAndNames() {
        String email = uniqueEmail("Margaret.Hamilton");
        String localPart = email.substring(0, email.indexOf('@'));
        failsValidation(() -> signUp(email, "Grace", "Hopper", "Xk7#pQ2!vL9@mZ"), "password", "password_too_weak");
        failsValidation(() -> signUp(email, "Grace", "Hopper", "passwordpassword1"), "password", "password_too_weak");
        failsValidation(() -> signUp(email, "Grace", "Hopper", "qwertyuiopasdfghjkl"), "password", "password_too_weak");
        failsValidation(() -> signUp(email, "Grace", "Hopper", "Q7#z" + localPart.toUpperCase() + "!vk2"),
                "password", "password_too_weak");
        failsValidation(() -> signUp(email, " Grace ", "Hopper", "x9$LgraceTk4#pW8qZ"), "password", "password_too_weak");
        failsValidation(() -> signUp(email, "Grace", "Hopper", "Yq8#hOpPeRLz2$Wm5"), "password", "password_too_weak");
        failsValidation(() -> signUp(email, "Grace", "Hopper", "x".repeat(1025)), "password", "too_long");

        assertThat(signUp(email, "Grace", "Hopper", "Xk7#pQ2!vL9@mZ4").user().email()).isEqualTo(email.toLowerCase());
    }

    @Test
    void signUpWithTakenEmailIsEmailTaken() {
        String email = uniqueEmail("taken");
        signUp(email, FNAME, LNAME, strongPassword());

        failsWith(ErrorCode.EMAIL_TAKEN, () -> signUp(email, FNAME, LNAME, strongPassword()));
    }

    @Test
    void signUpComparesEmailsCaseInsensitivelyAndTrimmed() {
        String email = uniqueEmail("taken.case");
        signUp(email, FNAME, LNAME, strongPassword());

        failsWith(ErrorCode.EMAIL_TAKEN, () -> signUp(" " + email.toUpperCase() + " ", FNAME, LNAME, strongPassword()));
        assertThat(DatabaseRows.query(t.dataSource, "select id from users where lower(email) = ?", email)).hasSize(1);
    }

    @Test
    void parallelSignUpsOfOneEmailHaveExactlyOneWinner() {
        String email = uniqueEmail("race");
        List<Outcome<SignedIn>> outcomes = Concurrently.run(16, i -> signUp(email, FNAME, LNAME, strongPassword()));

        assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded()).hasSize(15).allSatisfy(o ->
                assertThat(o.failure()).isInstanceOfSatisfying(AccountsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.EMAIL_TAKEN)));
        assertThat(DatabaseRows.query(t.dataSource, "select id from users where email = ?", email)).hasSize(1);
    }


    @Test
    void signUpsAreLimitedPerAddressCountingSuccessesAndTakenEmails() {
        ClientInfo client = new ClientInfo("bot", "198.51.100.23");
        String taken = TestUsers.signUp(accounts, "taken.once").email();
        for (int i = 0; i < 20; i++) {
            String email = i % 2 == 0 ? uniqueEmail("many") : taken;
            ThrowingCallable signUp = () -> accounts.signIns().signUp(new NewUser(email, TestUsers.FNAME, TestUsers.LNAME, strongPassword()), client);
            if (i % 2 == 0) {
                assertThatCode(signUp).doesNotThrowAnyException();
            } else {
                failsWith(ErrorCode.EMAIL_TAKEN, signUp);
            }
        }

        AccountsException refused = failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signUp(
                new NewUser(uniqueEmail("one.more"), TestUsers.FNAME, TestUsers.LNAME, strongPassword()), client));
        assertThat(refused.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        accounts.signIns().signUp(new NewUser(uniqueEmail("elsewhere"), TestUsers.FNAME, TestUsers.LNAME, strongPassword()),
                new ClientInfo("me", "198.51.100.24"));
        t.clock.advance(Duration.ofMinutes(1));
        accounts.signIns().signUp(new NewUser(uniqueEmail("later"), TestUsers.FNAME, TestUsers.LNAME, strongPassword()), client);
    }

    @Test
    void invalidSignUpsCountTowardTheLimitAndNeverReachTheStrengthCheck() {
        ClientInfo bot = new ClientInfo("bot", "198.51.100.99");
        long checks = accounts.passwordStrengthChecks();
        int limit = accounts.config().throttling().signUps().count();
        for (int i = 0; i < limit; i++) {
            // a bad email and a weak (but long enough) password: refused on the email alone, at no hashing cost
            String notAnEmail = "bot" + i + "-at-example.com";
            failsValidation(() -> accounts.signIns().signUp(new NewUser(notAnEmail, TestUsers.FNAME,
                    TestUsers.LNAME, "password12345678"), bot), "email", "invalid");
        }

        assertThat(accounts.passwordStrengthChecks()).isEqualTo(checks);
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signUp(new NewUser(uniqueEmail("after.bots"), TestUsers.FNAME,
                TestUsers.LNAME, strongPassword()), bot));
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signUp(new NewUser("still-no-email", TestUsers.FNAME,
                TestUsers.LNAME, "password12345678"), bot));
        t.clock.advance(Duration.ofMinutes(1));
    }
}
