package io.github.accounts.core;

import java.time.Duration;

/**
 * Sign-in throttling: after {@code accountFailures} consecutive failures for one email (each within
 * {@code window} of the one before), or {@code addressFailures} from one client address, further attempts wait
 * a back-off that starts at {@code baseBackoff}, doubles with each further failure and never exceeds
 * {@code maxBackoff}, so no lockout is permanent.
 */
public record ThrottleLimits(int accountFailures, int addressFailures, Duration window, Duration baseBackoff,
                             Duration maxBackoff) {
    public ThrottleLimits {
        if (accountFailures < 1 || addressFailures < 1) {
            throw new IllegalArgumentException("failure limits must be at least 1, were " + accountFailures + " and "
                    + addressFailures);
        }
        SessionLifetimes.positive(window, "window");
        SessionLifetimes.positive(baseBackoff, "baseBackoff");
        SessionLifetimes.positive(maxBackoff, "maxBackoff");
        if (baseBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("baseBackoff must not exceed maxBackoff");
        }
    }
}
