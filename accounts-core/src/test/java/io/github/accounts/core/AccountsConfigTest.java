package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.SessionLifetimes;
import io.github.accounts.core.config.TokenLifetimes;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.config.PasswordPolicy;
import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.config.SecondFactorPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration values: the profiles' defaults, checks that fail fast with a sentence, deviations. */
class AccountsConfigTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void originalDesignHasTheContractDefaults() {
        AccountsConfig c = AccountsConfig.originalDesign();
        assertThat(c.profile()).isEqualTo("original-design");
        assertThat(c.sessions()).isEqualTo(new SessionLifetimes(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(30),
                Duration.ofSeconds(30), MINUTE));
        assertThat(c.passwords().minLength()).isEqualTo(15);
        assertThat(c.passwords().maxLength()).isEqualTo(1024);
        assertThat(c.hashing().memoryKib()).isEqualTo(19_456);
        assertThat(c.hashing().iterations()).isEqualTo(2);
        assertThat(c.hashing().parallelism()).isEqualTo(1);
        assertThat(c.hashing().threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.throttling()).isEqualTo(new ThrottleLimits(5, 100, Duration.ofMinutes(15), Duration.ofSeconds(30),
                Duration.ofMinutes(15)));
        assertThat(c.tokens()).isEqualTo(new TokenLifetimes(Duration.ofMinutes(30), Duration.ofHours(24)));
    }

    @Test
    void asvsLevel2EndsSessionsAfterThirtyIdleMinutesAndTwelveHours() {
        AccountsConfig c = AccountsConfig.asvsLevel2();
        assertThat(c.profile()).isEqualTo("asvs-level-2");
        assertThat(c.sessions().sessionToken()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.sessions().refreshIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.sessions().refreshAbsolute()).isEqualTo(Duration.ofHours(12));
        assertThat(c.passwords()).isEqualTo(AccountsConfig.originalDesign().passwords());
    }

    @Test
    void profilesAreFoundByNameAndUnknownNamesSaySo() {
        assertThat(AccountsConfig.profile("original-design")).isEqualTo(AccountsConfig.originalDesign());
        assertThat(AccountsConfig.profile("asvs-level-2")).isEqualTo(AccountsConfig.asvsLevel2());
        assertThatThrownBy(() -> AccountsConfig.profile("paranoid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("paranoid").hasMessageContaining("original-design");
    }

    @Test
    void deviationsFromProfileListEachChangedSetting() {
        assertThat(AccountsConfig.originalDesign().deviationsFromProfile()).isEmpty();
        assertThat(AccountsConfig.asvsLevel2().deviationsFromProfile()).isEmpty();

        PasswordPolicy stricter = new PasswordPolicy(20, 1024, 30);
        AccountsConfig changed = AccountsConfig.originalDesign().withPasswords(stricter)
                .withTokens(new TokenLifetimes(Duration.ofMinutes(10), Duration.ofHours(24)));
        assertThat(changed.deviationsFromProfile()).hasSize(2);
        assertThat(changed.deviationsFromProfile().get(0)).startsWith("passwords: ").contains("minLength=15")
                .contains("minLength=20");
        assertThat(changed.deviationsFromProfile().get(1)).startsWith("tokens: ").contains("PT10M");
        assertThat(changed.profile()).isEqualTo("original-design");
    }

    @Test
    void deviationsCompareAgainstAnyOtherConfig() {
        assertThat(AccountsConfig.asvsLevel2().deviationsFrom(AccountsConfig.originalDesign())).hasSize(2)
                .satisfiesExactly(s -> assertThat(s).startsWith("sessions: "), s -> assertThat(s).isEqualTo(
                        "secondFactor: SecondFactorPolicy[required=false] -> SecondFactorPolicy[required=true]"));
    }

    @Test
    void asvsLevel2RequiresASecondFactorAndOriginalDesignLeavesItOptional() {
        assertThat(AccountsConfig.asvsLevel2().secondFactor().required()).isTrue();
        assertThat(AccountsConfig.originalDesign().secondFactor()).isEqualTo(SecondFactorPolicy.optional());
        assertThat(AccountsConfig.asvsLevel2().withSecondFactor(SecondFactorPolicy.optional()).deviationsFromProfile())
                .singleElement().asString().startsWith("secondFactor: ");
    }

    @Test
    void configRefusesMissingParts() {
        AccountsConfig c = AccountsConfig.originalDesign();
        assertThatThrownBy(() -> new AccountsConfig(null, c.sessions(), c.passwords(), c.hashing(), c.throttling(), c.tokens()))
                .isInstanceOf(NullPointerException.class).hasMessage("null profile");
        assertThatThrownBy(() -> c.withSessions(null)).hasMessage("null sessions");
        assertThatThrownBy(() -> c.withPasswords(null)).hasMessage("null passwords");
        assertThatThrownBy(() -> c.withHashing(null)).hasMessage("null hashing");
        assertThatThrownBy(() -> c.withThrottling(null)).hasMessage("null throttling");
        assertThatThrownBy(() -> c.withTokens(null)).hasMessage("null tokens");
    }

    @Test
    void sessionLifetimesMustBePositiveAndIdleWithinTheCap() {
        assertThatThrownBy(() -> new SessionLifetimes(Duration.ZERO, MINUTE, MINUTE, MINUTE, MINUTE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sessionToken must be positive, was PT0S");
        assertThatThrownBy(() -> new SessionLifetimes(MINUTE, MINUTE, MINUTE, Duration.ofSeconds(-1), MINUTE))
                .hasMessage("rotationGrace must be positive, was PT-1S");
        assertThatThrownBy(() -> new SessionLifetimes(MINUTE, null, MINUTE, MINUTE, MINUTE))
                .isInstanceOf(NullPointerException.class).hasMessage("null refreshIdle");
        assertThatThrownBy(() -> new SessionLifetimes(MINUTE, Duration.ofDays(8), Duration.ofDays(7), MINUTE, MINUTE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("refreshIdle (PT192H) must not exceed refreshAbsolute (PT168H)");
    }

    @Test
    void passwordPolicyKeepsToNistAndTheHashingCeiling() {
        assertThatThrownBy(() -> new PasswordPolicy(7, 64, 30)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minLength must be at least 8").hasMessageContaining("was 7");
        assertThatThrownBy(() -> new PasswordPolicy(15, 1025, 30)).hasMessageContaining("maxLength must be between")
                .hasMessageContaining("1024").hasMessageContaining("was 1025");
        assertThatThrownBy(() -> new PasswordPolicy(15, 14, 30)).hasMessageContaining("maxLength");
        assertThatThrownBy(() -> new PasswordPolicy(15, 64, -1)).hasMessage("minEntropyBits must not be negative, was -1.0");
        assertThat(new PasswordPolicy(8, 8, 0).maxLength()).isEqualTo(8);
    }

    @Test
    void hashingParamsRefuseImpossibleArgon2AndBulkheadSettings() {
        assertThatThrownBy(() -> new HashingParams(7, 1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memoryKib >= 8 x parallelism").hasMessageContaining("m=7 t=1 p=1");
        assertThatThrownBy(() -> new HashingParams(1024, 0, 1, 1, 0)).hasMessageContaining("iterations >= 1");
        assertThatThrownBy(() -> new HashingParams(1024, 1, 0, 1, 0)).hasMessageContaining("parallelism >= 1");
        assertThatThrownBy(() -> new HashingParams(1024, 1, 1, 0, 0)).hasMessage("threads must be >= 1 and queue >= 0, was 0 and 0");
        assertThatThrownBy(() -> new HashingParams(1024, 1, 1, 1, -1)).hasMessage("threads must be >= 1 and queue >= 0, was 1 and -1");
    }

    @Test
    void throttleLimitsRefuseLockoutsThatCouldNeverEnd() {
        Duration s30 = Duration.ofSeconds(30);
        assertThatThrownBy(() -> new ThrottleLimits(0, 100, MINUTE, s30, MINUTE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failure limits must be at least 1, were 0 and 100");
        assertThatThrownBy(() -> new ThrottleLimits(5, 0, MINUTE, s30, MINUTE)).hasMessage("failure limits must be at least 1, were 5 and 0");
        assertThatThrownBy(() -> new ThrottleLimits(5, 100, Duration.ZERO, s30, MINUTE)).hasMessage("window must be positive, was PT0S");
        assertThatThrownBy(() -> new ThrottleLimits(5, 100, MINUTE, s30, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("null maxBackoff");
        assertThatThrownBy(() -> new ThrottleLimits(5, 100, MINUTE, Duration.ofMinutes(2), MINUTE))
                .hasMessage("baseBackoff must not exceed maxBackoff");
    }

    @Test
    void ratesAndTheSessionCapMustBeAtLeastOne() {
        assertThat(AccountsConfig.originalDesign().throttling().signUps()).isEqualTo(new ThrottleLimits.Rate(20, MINUTE));
        assertThat(AccountsConfig.originalDesign().throttling().verificationMails())
                .isEqualTo(new ThrottleLimits.Rate(3, Duration.ofHours(1)));
        assertThat(AccountsConfig.originalDesign().sessions().maxPerUser()).isEqualTo(100);
        assertThatThrownBy(() -> new ThrottleLimits.Rate(0, MINUTE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rate's count must be at least 1, was 0");
        assertThatThrownBy(() -> new ThrottleLimits.Rate(1, Duration.ZERO)).hasMessage("per must be positive, was PT0S");
        assertThatThrownBy(() -> AccountsConfig.originalDesign().sessions().withMaxPerUser(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxPerUser must be at least 1, was 0");
    }

    @Test
    void tokenLifetimesMustBePositive() {
        assertThatThrownBy(() -> new TokenLifetimes(Duration.ZERO, MINUTE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("passwordReset must be positive, was PT0S");
        assertThatThrownBy(() -> new TokenLifetimes(MINUTE, Duration.ofHours(-1)))
                .hasMessage("emailVerification must be positive, was PT-1H");
    }
}
