package io.github.accounts.core.metrics;

import io.github.accounts.core.ErrorCode;

import java.util.Locale;

/**
 * The {@code outcome} tag of {@code accounts.sign_ins}: a constant's name in lower case. A new outcome is one more
 * constant; one that ends in an error names its code, so the failure is counted without more code. Sign-ins with
 * invalid input or during an outage are not counted. Immutable.
 */
public enum SignInOutcome {
    SUCCESS(null),
    /** The right password of a user with a second factor: the sign-in continues with a second step. */
    MFA_REQUIRED(null),
    /** A wrong, reused or expired code at the second step. */
    INVALID_MFA_CODE(ErrorCode.INVALID_MFA_CODE),
    INVALID_CREDENTIALS(ErrorCode.INVALID_CREDENTIALS),
    THROTTLED(ErrorCode.THROTTLED),
    OVERLOADED(ErrorCode.OVERLOADED),
    DISABLED(ErrorCode.ACCOUNT_DISABLED);

    private final ErrorCode failure;

    SignInOutcome(ErrorCode failure) {
        this.failure = failure;
    }

    /** The tag value, e.g. {@code invalid_credentials}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a sign-in that failed with {@code code} is counted as, or null for one that is not counted. */
    static SignInOutcome ofFailure(ErrorCode code) {
        for (SignInOutcome outcome : values()) {
            if (outcome.failure == code) {
                return outcome;
            }
        }
        return null;
    }
}
