package io.github.accounts.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Throttling. Sign-in: after {@code accountFailures} consecutive failures for one email (each within
 * {@code window} of the one before), or {@code addressFailures} from one client address, further attempts wait
 * a back-off that starts at {@code baseBackoff}, doubles with each further failure and never exceeds
 * {@code maxBackoff}, so no lockout is permanent. Each attempt is counted before its password is hashed and taken
 * back on success. Besides: {@code signUps} attempts per client address and {@code verificationMails} per account,
 * each at most {@link Rate#count()} per {@link Rate#per()}. Immutable.
 */
public record ThrottleLimits(int accountFailures, int addressFailures, Duration window, Duration baseBackoff,
                             Duration maxBackoff, Rate signUps, Rate verificationMails) {
    /** Sign-up attempts per client address: 20 a minute, allauth's default. */
    public static final Rate DEFAULT_SIGN_UPS = new Rate(20, Duration.ofMinutes(1));
    /** Verification mails per account: 3 an hour. */
    public static final Rate DEFAULT_VERIFICATION_MAILS = new Rate(3, Duration.ofHours(1));

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
        Objects.requireNonNull(signUps, "null signUps");
        Objects.requireNonNull(verificationMails, "null verificationMails");
    }

    /** The sign-in limits alone, with the default sign-up and verification-mail rates. */
    public ThrottleLimits(int accountFailures, int addressFailures, Duration window, Duration baseBackoff,
                          Duration maxBackoff) {
        this(accountFailures, addressFailures, window, baseBackoff, maxBackoff, DEFAULT_SIGN_UPS,
                DEFAULT_VERIFICATION_MAILS);
    }

    public ThrottleLimits withSignUps(Rate value) {
        return new ThrottleLimits(accountFailures, addressFailures, window, baseBackoff, maxBackoff, value,
                verificationMails);
    }

    public ThrottleLimits withVerificationMails(Rate value) {
        return new ThrottleLimits(accountFailures, addressFailures, window, baseBackoff, maxBackoff, signUps, value);
    }

    /** At most {@code count} events per {@code per}, in fixed windows that start with the first event. Immutable. */
    public record Rate(int count, Duration per) {
        public Rate {
            if (count < 1) {
                throw new IllegalArgumentException("a rate's count must be at least 1, was " + count);
            }
            SessionLifetimes.positive(per, "per");
        }
    }
}
