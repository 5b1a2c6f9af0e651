package io.github.accounts.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Throttling. Sign-in: after {@code accountFailures} consecutive failures for one email (each within
 * {@code window} of the one before), or {@code addressFailures} from one client address, further attempts wait
 * a back-off that starts at {@code baseBackoff}, doubles with each further failure and never exceeds
 * {@code maxBackoff}, so no lockout is permanent. Each attempt is counted before its password is hashed and taken
 * back on success. Besides: {@code signUps} attempts per client address, {@code verificationMails} per account, and
 * requests for an email sign-in ({@code emailSignInsPerEmail} per address asked for, {@code emailSignInsPerAddress}
 * per client address), each at most {@link Rate#count()} per {@link Rate#per()}. Immutable.
 */
public record ThrottleLimits(int accountFailures, int addressFailures, Duration window, Duration baseBackoff,
                             Duration maxBackoff, Rate signUps, Rate verificationMails, Rate emailSignInsPerEmail,
                             Rate emailSignInsPerAddress) {
    /** Sign-up attempts per client address: 20 a minute, allauth's default. */
    public static final Rate DEFAULT_SIGN_UPS = new Rate(20, Duration.ofMinutes(1));
    /** Verification mails per account: 3 an hour. */
    public static final Rate DEFAULT_VERIFICATION_MAILS = new Rate(3, Duration.ofHours(1));
    /** Email sign-in requests per email address asked for: 5 in 15 minutes (the mail budget allows 5 an hour). */
    public static final Rate DEFAULT_EMAIL_SIGN_INS_PER_EMAIL = new Rate(5, Duration.ofMinutes(15));
    /** Email sign-in requests per client address: 30 in 15 minutes. */
    public static final Rate DEFAULT_EMAIL_SIGN_INS_PER_ADDRESS = new Rate(30, Duration.ofMinutes(15));

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
        Objects.requireNonNull(emailSignInsPerEmail, "null emailSignInsPerEmail");
        Objects.requireNonNull(emailSignInsPerAddress, "null emailSignInsPerAddress");
    }

    /** These limits with the default email sign-in rates. */
    public ThrottleLimits(int accountFailures, int addressFailures, Duration window, Duration baseBackoff,
                          Duration maxBackoff, Rate signUps, Rate verificationMails) {
        this(accountFailures, addressFailures, window, baseBackoff, maxBackoff, signUps, verificationMails,
                DEFAULT_EMAIL_SIGN_INS_PER_EMAIL, DEFAULT_EMAIL_SIGN_INS_PER_ADDRESS);
    }

    /** The sign-in limits alone, with the default sign-up and verification-mail rates. */
    public ThrottleLimits(int accountFailures, int addressFailures, Duration window, Duration baseBackoff,
                          Duration maxBackoff) {
        this(accountFailures, addressFailures, window, baseBackoff, maxBackoff, DEFAULT_SIGN_UPS,
                DEFAULT_VERIFICATION_MAILS);
    }

    public ThrottleLimits withSignUps(Rate value) {
        return new ThrottleLimits(accountFailures, addressFailures, window, baseBackoff, maxBackoff, value,
                verificationMails, emailSignInsPerEmail, emailSignInsPerAddress);
    }

    public ThrottleLimits withVerificationMails(Rate value) {
        return new ThrottleLimits(accountFailures, addressFailures, window, baseBackoff, maxBackoff, signUps, value,
                emailSignInsPerEmail, emailSignInsPerAddress);
    }

    public ThrottleLimits withEmailSignIns(Rate perEmail, Rate perAddress) {
        return new ThrottleLimits(accountFailures, addressFailures, window, baseBackoff, maxBackoff, signUps,
                verificationMails, perEmail, perAddress);
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
