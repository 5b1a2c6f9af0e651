package io.github.accounts.core.throttle;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.testing.Concurrently.Outcome;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Failed sign-ins: counted per email and per address in the database, with a back-off that always ends. */
@OnEachDatabase
class SignInThrottlingTest extends StorageTest {
    private static final ClientInfo NO_ADDRESS = ClientInfo.unknown();

    private static AccountsConfig withLimits(ThrottleLimits limits) {
        return AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING).withThrottling(limits);
    }

    private static void failSignIn(Accounts accounts, String email, ClientInfo client) {
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(email, strongPassword(), client));
    }

    private static Duration throttledFor(Accounts accounts, String email, String password, ClientInfo client) {
        return failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(email, password, client)).retryAfter().orElseThrow();
    }

    private String failures(String key) {
        return DatabaseRows.one(t.dataSource, "select failures from sign_in_throttle where throttle_key = ?", key)
                .get("failures");
    }

    /** What a sequence of sign-in attempts answered: the code, and the wait when throttled. */
    private List<String> answers(String email, String password, int attempts) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            AccountsException e = catchThrowableOfType(AccountsException.class,
                    () -> accounts.signIns().signIn(email, password, NO_ADDRESS));
            answers.add(e.code() + e.retryAfter().map(d -> " " + d).orElse(""));
        }
        return answers;
    }

    @Test
    void fiveFailuresThrottleEvenTheCorrectPasswordWithoutHashing() {
        TestUser user = TestUsers.signUp(accounts, "five");
        for (int i = 0; i < 5; i++) {
            failSignIn(accounts, user.email(), NO_ADDRESS);
        }
        long verifications = accounts.passwordVerifications();

        assertThat(throttledFor(accounts, user.email(), user.password(), NO_ADDRESS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(accounts.passwordVerifications()).isEqualTo(verifications);
        assertThat(accounts.sessions().authenticate(user.session().sessionToken()).userId()).isEqualTo(user.id());
    }

    @Test
    void unknownEmailsAreThrottledExactlyLikeKnownOnes() {
        TestUser known = TestUsers.signUp(accounts, "known");
        List<String> forKnown = answers(known.email(), strongPassword(), 7);
        List<String> forUnknown = answers(uniqueEmail("unknown"), strongPassword(), 7);

        assertThat(forKnown).containsExactly("INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "INVALID_CREDENTIALS",
                "INVALID_CREDENTIALS", "INVALID_CREDENTIALS", "THROTTLED PT30S", "THROTTLED PT30S");
        assertThat(forUnknown).isEqualTo(forKnown);
    }

    @Test
    void successResetsTheCountInPlace() {
        TestUser user = TestUsers.signUp(accounts, "reset.count");
        String key = TestAccounts.throttleKeys().account(SignInThrottle.SIGN_IN, user.email());
        failSignIn(accounts, user.email(), NO_ADDRESS);
        String id = DatabaseRows.one(t.dataSource, "select id from sign_in_throttle where throttle_key = ?", key).get("id");
        accounts.signIns().signIn(user.email(), user.password(), NO_ADDRESS);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                failSignIn(accounts, user.email(), NO_ADDRESS);
            }
            accounts.signIns().signIn(user.email(), user.password(), NO_ADDRESS);
        }
        // The same row, reset: a deleted one could vanish under a concurrent first failure between insert and lock.
        assertThat(DatabaseRows.one(t.dataSource,
                "select id, failures, blocked_until from sign_in_throttle where throttle_key = ?", key))
                .containsEntry("id", id).containsEntry("failures", "0").containsEntry("blocked_until", null);
    }

    @Test
    void burstsOfRightAndWrongPasswordsForOneAccountGetOnlyOrdinaryAnswers() {
        ThrottleLimits limits = new ThrottleLimits(1000, 1000, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
        try (TestAccounts custom = new TestAccounts(database, withLimits(limits))) {
            TestUser user = TestUsers.signUp(custom.accounts, "burst.mixed");
            for (int burst = 0; burst < 10; burst++) {
                List<Outcome<Object>> outcomes = Concurrently.run(16, i -> custom.accounts.signIns().signIn(user.email(),
                        i % 2 == 0 ? user.password() : strongPassword(), NO_ADDRESS));

                assertThat(outcomes).filteredOn(o -> !o.succeeded()).allSatisfy(o -> assertThat(o.failure())
                        .isInstanceOfSatisfying(AccountsException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS)));
                assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(8);
            }
        }
    }

    @Test
    void retryAfterCountsDownWithTheClock() {
        TestUser user = TestUsers.signUp(accounts, "countdown");
        for (int i = 0; i < 5; i++) {
            failSignIn(accounts, user.email(), NO_ADDRESS);
        }
        t.clock.advance(Duration.ofSeconds(10));
        assertThat(throttledFor(accounts, user.email(), user.password(), NO_ADDRESS)).isEqualTo(Duration.ofSeconds(20));
        t.clock.advance(Duration.ofMillis(19_500));
        assertThat(throttledFor(accounts, user.email(), user.password(), NO_ADDRESS)).isEqualTo(Duration.ofSeconds(1));
        t.clock.advance(Duration.ofMillis(500));
        accounts.signIns().signIn(user.email(), user.password(), NO_ADDRESS);
    }

    @Test
    void backOffDoublesUpToFifteenMinutesAndThenPasses() {
        TestUser user = TestUsers.signUp(accounts, "backoff");
        for (int i = 0; i < 4; i++) {
            failSignIn(accounts, user.email(), NO_ADDRESS);
        }
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            failSignIn(accounts, user.email(), NO_ADDRESS);
            Duration wait = throttledFor(accounts, user.email(), user.password(), NO_ADDRESS);
            waits.add(wait.toSeconds());
            t.clock.advance(wait);
        }
        assertThat(waits).containsExactly(30L, 60L, 120L, 240L, 480L, 900L);
        accounts.signIns().signIn(user.email(), user.password(), NO_ADDRESS);
    }

    @Test
    void backOffIsNeverLongerThanTheMaximumHoweverLongTheRun() {
        ThrottleLimits limits = new ThrottleLimits(3, 100, Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofMinutes(2));
        try (TestAccounts custom = new TestAccounts(database, withLimits(limits))) {
            TestUser user = TestUsers.signUp(custom.accounts, "cap");
            for (int i = 0; i < 40; i++) {
                failSignIn(custom.accounts, user.email(), NO_ADDRESS);
                if (i >= 2) {
                    Duration wait = throttledFor(custom.accounts, user.email(), user.password(), NO_ADDRESS);
                    assertThat(wait).isLessThanOrEqualTo(Duration.ofMinutes(2));
                    custom.clock.advance(wait);
                }
            }
            assertThat(custom.accounts.signIns().signIn(user.email(), user.password(), NO_ADDRESS).user().id()).isEqualTo(user.id());
        }
    }

    @Test
    void failuresFromOneAddressAreLimitedAcrossEmails() {
        ThrottleLimits limits = new ThrottleLimits(5, 3, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
        try (TestAccounts custom = new TestAccounts(database, withLimits(limits))) {
            TestUser user = TestUsers.signUp(custom.accounts, "address");
            ClientInfo attacker = new ClientInfo("bot", "203.0.113.9");
            for (int i = 0; i < 3; i++) {
                failSignIn(custom.accounts, uniqueEmail("spray"), attacker);
            }

            assertThat(throttledFor(custom.accounts, user.email(), user.password(), attacker)).isEqualTo(Duration.ofSeconds(30));
            assertThat(custom.accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("me", "203.0.113.10"))
                    .user().id()).isEqualTo(user.id());
            custom.clock.advance(Duration.ofSeconds(30));
            custom.accounts.signIns().signIn(user.email(), user.password(), attacker);
        }
    }

    @Test
    void throttlingSurvivesANewAccountsInstanceOnTheSameDatabase() {
        TestUser user = TestUsers.signUp(accounts, "restart");
        for (int i = 0; i < 5; i++) {
            failSignIn(accounts, user.email(), NO_ADDRESS);
        }
        try (EntityManagerFactory emf = Accounts.entityManagerFactory(t.dataSource, Map.of());
             Accounts restarted = Accounts.builder(emf).config(config()).clock(t.clock)
                     .throttleSecret(TestAccounts.THROTTLE_SECRET).build()) {
            assertThat(throttledFor(restarted, user.email(), user.password(), NO_ADDRESS)).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void parallelFailuresGetNoMoreWrongPasswordAnswersThanTheLimit() {
        TestUser user = TestUsers.signUp(accounts, "burst");

        List<Outcome<Object>> outcomes = Concurrently.run(20, i -> accounts.signIns().signIn(user.email(), strongPassword(), NO_ADDRESS));

        assertThat(outcomes).noneMatch(Outcome::succeeded);
        List<ErrorCode> codes = outcomes.stream().map(o -> ((AccountsException) o.failure()).code()).toList();
        assertThat(codes).filteredOn(c -> c == ErrorCode.INVALID_CREDENTIALS).hasSize(5);
        assertThat(codes).filteredOn(c -> c == ErrorCode.THROTTLED).hasSize(15);
        assertThat(outcomes).filteredOn(o -> ((AccountsException) o.failure()).code() == ErrorCode.THROTTLED)
                .allSatisfy(o -> assertThat(((AccountsException) o.failure()).retryAfter()).isPresent());
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), NO_ADDRESS));
    }

    @Test
    void parallelFailuresAreCountedExactly() {
        ThrottleLimits limits = new ThrottleLimits(1000, 1000, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
        try (TestAccounts custom = new TestAccounts(database, withLimits(limits))) {
            TestUser user = TestUsers.signUp(custom.accounts, "parallel");
            ClientInfo client = new ClientInfo("bot", "203.0.113.20");

            List<Outcome<Object>> outcomes = Concurrently.run(20, i -> custom.accounts.signIns().signIn(user.email(), strongPassword(), client));

            assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isInstanceOfSatisfying(AccountsException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS)));
            for (String key : List.of(TestAccounts.throttleKeys().account(SignInThrottle.SIGN_IN, user.email()),
                    TestAccounts.throttleKeys().address(SignInThrottle.SIGN_IN, "203.0.113.20"))) {
                assertThat(DatabaseRows.one(custom.dataSource, "select failures from sign_in_throttle where throttle_key = ?",
                        key)).containsEntry("failures", "20");
            }
        }
    }


    @Test
    void aParallelBurstIsJudgedOnlyUpToTheLimit() {
        TestUser user = TestUsers.signUp(accounts, "judged");
        long before = accounts.passwordVerifications();

        Concurrently.run(20, i -> accounts.signIns().signIn(user.email(), strongPassword(), NO_ADDRESS));

        assertThat(accounts.passwordVerifications() - before).isEqualTo(5);
    }

    @Test
    void noAnswerInABurstComesFromAJudgedAttempt_throttledOnesWereNeverHashed() {
        TestUser user = TestUsers.signUp(accounts, "burst.right");
        long before = accounts.passwordVerifications();

        List<Outcome<Object>> outcomes = Concurrently.run(20,
                i -> accounts.signIns().signIn(user.email(), i % 4 == 0 ? user.password() : strongPassword(), NO_ADDRESS));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure() == null || o.failure() instanceof AccountsException e
                && List.of(ErrorCode.THROTTLED, ErrorCode.INVALID_CREDENTIALS).contains(e.code())).isTrue());
        long throttled = outcomes.stream().filter(o -> o.failure() instanceof AccountsException e
                && e.code() == ErrorCode.THROTTLED).count();
        assertThat(accounts.passwordVerifications() - before).isEqualTo(20 - throttled);
    }

    @Test
    void ipv6AddressesCountByTheirSlash64AndMappedIpv4AsIpv4() {
        ThrottleLimits limits = new ThrottleLimits(5, 3, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15));
        try (TestAccounts custom = new TestAccounts(database, withLimits(limits))) {
            TestUser user = TestUsers.signUp(custom.accounts, "ipv6");
            for (String ip : List.of("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:aaaa:bbbb:cccc:dddd")) {
                failSignIn(custom.accounts, uniqueEmail("spray6"), new ClientInfo("bot", ip));
            }
            for (String ip : List.of("::ffff:203.0.113.77", "203.0.113.77", "::ffff:203.0.113.77")) {
                failSignIn(custom.accounts, uniqueEmail("spray4"), new ClientInfo("bot", ip));
            }

            throttledFor(custom.accounts, user.email(), user.password(), new ClientInfo("bot", "2001:db8:1:2:ffff::9"));
            throttledFor(custom.accounts, user.email(), user.password(), new ClientInfo("bot", "203.0.113.77"));
            custom.accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("me", "2001:db8:1:3::1"));
        }
    }

    @Test
    void throttleKeysAreNotPlainDigestsOfTheEmail() {
        String email = uniqueEmail("hmac");
        failSignIn(accounts, email, NO_ADDRESS);

        List<String> keys = DatabaseRows.query(t.dataSource, "select throttle_key from sign_in_throttle").stream()
                .map(r -> r.get("throttle_key")).toList();
        assertThat(keys).isNotEmpty().noneMatch(k -> k.contains(DatabaseRows.sha256(email)));
    }
}
