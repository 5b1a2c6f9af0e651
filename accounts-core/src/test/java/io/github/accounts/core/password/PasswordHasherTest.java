package io.github.accounts.core.password;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.ScryptFunction;
import com.password4j.types.Argon2;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.Concurrently.Outcome;
import io.github.accounts.core.testing.TestAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argon2id hashing, legacy digests, and the bulkhead that bounds hashing work. */
class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(TestAccounts.CHEAP_HASHING);

    @AfterEach
    void close() {
        hasher.close();
    }

    @Test
    void hashIsASelfDescribingSaltedArgon2idDigest() {
        String digest = hasher.hash("correct horse");
        assertThat(digest).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("correct horse");
        assertThat(hasher.hash("correct horse")).isNotEqualTo(digest);
    }

    @Test
    void owaspParametersAreTheDefault() {
        try (PasswordHasher owasp = new PasswordHasher(HashingParams.owaspDefaults())) {
            assertThat(owasp.hash("correct horse")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        }
    }

    @Test
    void verifyMatchesOnlyTheRightPassword() {
        String digest = hasher.hash("correct horse");
        assertThat(hasher.verify("correct horse", digest)).isEqualTo(new PasswordHasher.Verification(true, false));
        assertThat(hasher.verify("correct horsE", digest).matches()).isFalse();
    }

    @Test
    void legacyAndOutdatedDigestsVerifyAndAskForARehash() {
        List<String> legacy = List.of(
                Password.hash("correct horse").withBcrypt().getResult(),
                Password.hash("correct horse").addRandomSalt().with(ScryptFunction.getInstance(1024, 8, 1)).getResult(),
                Password.hash("correct horse").addRandomSalt(16).with(Argon2Function.getInstance(512, 1, 1, 32, Argon2.ID)).getResult(),
                Password.hash("correct horse").addRandomSalt(16).with(Argon2Function.getInstance(1024, 1, 1, 32, Argon2.I)).getResult());
        for (String digest : legacy) {
            assertThat(hasher.verify("correct horse", digest)).as(digest).isEqualTo(new PasswordHasher.Verification(true, true));
            assertThat(hasher.verify("wrong horse", digest)).as(digest).isEqualTo(new PasswordHasher.Verification(false, false));
        }
    }

    @Test
    void unreadableDigestsNeverMatch() {
        for (String digest : List.of("", "correct horse", "$2a$garbage", "$argon2id$broken", "$")) {
            assertThat(hasher.verify("correct horse", digest).matches()).as(digest).isFalse();
        }
    }

    @Test
    void everyVerificationIsCountedAlsoAgainstNobody() {
        String digest = hasher.hash("correct horse");
        long before = hasher.verifications();
        hasher.verify("correct horse", digest);
        hasher.verifyAgainstNobody("correct horse");
        hasher.hash("not a verification");
        assertThat(hasher.verifications() - before).isEqualTo(2);
    }

    @Test
    void fullBulkheadAnswersOverloadedAndNobodyHangs() {
        try (PasswordHasher small = new PasswordHasher(new HashingParams(16_384, 4, 1, 1, 0))) {
            small.verifyAgainstNobody("wait until the dummy digest is ready");

            List<Outcome<String>> outcomes = Concurrently.run(16, i -> small.hash("password " + i));

            assertThat(outcomes).filteredOn(Outcome::succeeded).isNotEmpty()
                    .allSatisfy(o -> assertThat(o.value()).startsWith("$argon2id$"));
            assertThat(outcomes).filteredOn(o -> !o.succeeded()).isNotEmpty().allSatisfy(o ->
                    assertThat(o.failure()).isInstanceOfSatisfying(AccountsException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OVERLOADED);
                        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
                        assertThat(e.getStackTrace()).isEmpty();
                    }));
            assertThat(small.hash("after the burst")).startsWith("$argon2id$");
        }
    }

    @Test
    void oneCallerAtATimeIsNeverRefusedEvenWithoutAQueue() {
        try (PasswordHasher small = new PasswordHasher(new HashingParams(1024, 1, 1, 1, 0))) {
            String digest = small.hash("first");
            for (int i = 0; i < 50; i++) {
                assertThat(small.verify("first", digest).matches()).isTrue();
                small.hash("password " + i);
            }
        }
    }

    @Test
    void aQueueLetsCallersWaitInsteadOfFailing() {
        try (PasswordHasher queued = new PasswordHasher(new HashingParams(1024, 1, 1, 1, 64))) {
            List<Outcome<String>> outcomes = Concurrently.run(16, i -> queued.hash("password " + i));
            assertThat(outcomes).allMatch(Outcome::succeeded);
        }
    }

    @Test
    void anInterruptedHashIsAnAccountsExceptionNotAVendorOne() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> hasher.hash("correct horse"))
                    .isInstanceOfSatisfying(AccountsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                    .hasCauseInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
