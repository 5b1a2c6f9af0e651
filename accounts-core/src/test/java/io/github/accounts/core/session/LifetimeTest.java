package io.github.accounts.core.session;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.SessionLifetimes;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Every lifetime rule of a session, at its boundaries. */
class LifetimeTest {
    private static final SessionLifetimes RULES = AccountsConfig.originalDesign().sessions();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void atSignInBothTokensLastSevenDaysAndTheSessionThirty() {
        Lifetime l = Lifetime.atSignIn(RULES, T0);
        assertThat(l.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(l.refreshExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(l.absoluteExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    }

    @Test
    void aRefreshNeverExtendsPastTheAbsoluteCap() {
        Instant cap = T0.plus(Duration.ofDays(30));
        Lifetime late = Lifetime.extended(RULES, T0.plus(Duration.ofDays(27)), cap);
        assertThat(late.expiresAt()).isEqualTo(cap);
        assertThat(late.refreshExpiresAt()).isEqualTo(cap);
        Lifetime early = Lifetime.extended(RULES, T0.plus(Duration.ofDays(1)), cap);
        assertThat(early.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(8)));
    }

    @Test
    void tokensEndExactlyAtTheirExpiry() {
        Instant end = T0.plus(Duration.ofDays(7));
        assertThat(Lifetime.sessionTokenValid(end, end.minusNanos(1))).isTrue();
        assertThat(Lifetime.sessionTokenValid(end, end)).isFalse();
        assertThat(Lifetime.refreshable(end, end.plus(Duration.ofDays(1)), end.minusNanos(1))).isTrue();
        assertThat(Lifetime.refreshable(end, end.plus(Duration.ofDays(1)), end)).isFalse();
        assertThat(Lifetime.refreshable(end.plus(Duration.ofDays(1)), end, end)).isFalse();
    }

    @Test
    void lastUsedIsRewrittenOncePerMinute() {
        assertThat(Lifetime.lastUsedIsStale(RULES, T0, T0.plusSeconds(59))).isFalse();
        assertThat(Lifetime.lastUsedIsStale(RULES, T0, T0.plusSeconds(60))).isTrue();
    }

    @Test
    void rotationGraceIsThirtySeconds() {
        assertThat(Lifetime.withinRotationGrace(RULES, T0, T0.plusSeconds(29))).isTrue();
        assertThat(Lifetime.withinRotationGrace(RULES, T0, T0.plusSeconds(30))).isFalse();
        assertThat(Lifetime.withinRotationGrace(RULES, null, T0)).isFalse();
    }
}
