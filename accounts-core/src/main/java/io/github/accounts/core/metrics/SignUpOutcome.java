package io.github.accounts.core.metrics;

import io.github.accounts.core.ErrorCode;

import java.util.Locale;

/**
 * The {@code outcome} tag of {@code accounts.sign_ups}: a constant's name in lower case; a new outcome is one more
 * constant. Sign-ups during an outage are not counted. Immutable.
 */
public enum SignUpOutcome {
    SUCCESS(null),
    VALIDATION_FAILED(ErrorCode.VALIDATION_FAILED),
    EMAIL_TAKEN(ErrorCode.EMAIL_TAKEN),
    THROTTLED(ErrorCode.THROTTLED),
    OVERLOADED(ErrorCode.OVERLOADED);

    private final ErrorCode failure;

    SignUpOutcome(ErrorCode failure) {
        this.failure = failure;
    }

    /** The tag value, e.g. {@code email_taken}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a sign-up that failed with {@code code} is counted as, or null for one that is not counted. */
    static SignUpOutcome ofFailure(ErrorCode code) {
        for (SignUpOutcome outcome : values()) {
            if (outcome.failure == code) {
                return outcome;
            }
        }
        return null;
    }
}
