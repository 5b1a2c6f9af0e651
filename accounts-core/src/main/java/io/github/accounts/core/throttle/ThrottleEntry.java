package io.github.accounts.core.throttle;

import io.github.accounts.core.internal.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The count of one throttle key (an HMAC of an email or a network). Rows are inserted by {@link SignInThrottle}
 * through plain JDBC, since two first attempts may race. Not thread-safe (an entity).
 */
@Entity
@Table(name = "sign_in_throttle")
public class ThrottleEntry extends Timestamped {
    @Column(name = "throttle_key", nullable = false, unique = true, length = 80)
    private String key;

    @Column(name = "failures", nullable = false)
    private int failures;

    @Column(name = "last_failure_at", nullable = false)
    private Instant lastFailureAt;

    @Column(name = "blocked_until")
    private Instant blockedUntil;

    protected ThrottleEntry() {
    }

    int failures() {
        return failures;
    }

    Instant lastFailureAt() {
        return lastFailureAt;
    }

    Instant blockedUntil() {
        return blockedUntil;
    }

    void recordFailure(int newCount, Instant blockedUntil, Instant now) {
        this.failures = newCount;
        this.lastFailureAt = now;
        this.blockedUntil = blockedUntil;
        touch(now);
    }

    /** No failures and no block, as if new; the last failure's time stays (its column is not null). */
    void forget(Instant now) {
        this.failures = 0;
        this.blockedUntil = null;
        touch(now);
    }
}
