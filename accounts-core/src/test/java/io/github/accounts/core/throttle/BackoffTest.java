package io.github.accounts.core.throttle;

import io.github.accounts.core.config.ThrottleLimits;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The back-off rule on its own: none below the limit, then doubling from the base up to the cap. */
class BackoffTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final SignInThrottle throttle = new SignInThrottle(
            new ThrottleLimits(5, 100, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)),
            Clock.systemUTC());

    private Duration backoffAfter(int failures) {
        Instant until = throttle.blockedUntil(failures, 5, NOW);
        return until == null ? Duration.ZERO : Duration.between(NOW, until);
    }

    @Test
    void noBackoffBelowTheLimit() {
        for (int failures = 0; failures < 5; failures++) {
            assertThat(backoffAfter(failures)).isZero();
        }
    }

    @Test
    void backoffStartsAtTheBaseAndDoubles() {
        assertThat(backoffAfter(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoffAfter(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoffAfter(9)).isEqualTo(Duration.ofSeconds(480));
    }

    @Test
    void backoffNeverExceedsTheCapEvenForEndlessRuns() {
        assertThat(backoffAfter(10)).isEqualTo(Duration.ofMinutes(15));
        assertThat(backoffAfter(40)).isEqualTo(Duration.ofMinutes(15));
        assertThat(backoffAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
    }
}
