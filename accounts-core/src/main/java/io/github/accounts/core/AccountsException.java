package io.github.accounts.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one unchecked exception of accounts: {@link #code()} says what failed and maps one-to-one onto the
 * HTTP contract's error codes. Expected outcomes (wrong password, expired token, throttled) carry no stack
 * trace, since they are answers rather than faults.
 */
public final class AccountsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<FieldError> errors;
    private final transient Duration retryAfter;

    private AccountsException(ErrorCode code, String message, List<FieldError> errors, Duration retryAfter,
                              Throwable cause) {
        super(message, cause, false, cause != null);
        this.code = Objects.requireNonNull(code, "null code");
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    /** An expected failure with a message fit to show a client. */
    public static AccountsException of(ErrorCode code, String message) {
        return new AccountsException(code, message, List.of(), null, null);
    }

    /** Invalid input: one entry per offending field. */
    public static AccountsException invalid(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("An invalid-input failure needs at least one field error");
        }
        return new AccountsException(ErrorCode.VALIDATION_FAILED, "The request has invalid fields.", errors, null, null);
    }

    /** A refusal that the client may retry after the given time ({@code throttled}, {@code overloaded}). */
    public static AccountsException retryLater(ErrorCode code, String message, Duration retryAfter) {
        return new AccountsException(code, message, List.of(), Objects.requireNonNull(retryAfter, "null retryAfter"), null);
    }

    /** The database could not be reached; the cause is kept for the server log, never shown to clients. */
    public static AccountsException unavailable(Throwable cause) {
        return new AccountsException(ErrorCode.UNAVAILABLE, "The account store is unavailable; try again shortly.",
                List.of(), Duration.ofSeconds(5), Objects.requireNonNull(cause, "null cause"));
    }

    /**
     * An unexpected fault below accounts (a database error that is not an outage, a failed hash): the cause and
     * its stack trace are kept for the server log and never shown to clients.
     */
    public static AccountsException internal(Throwable cause) {
        return new AccountsException(ErrorCode.INTERNAL_ERROR, "Something went wrong on our side.", List.of(), null,
                Objects.requireNonNull(cause, "null cause"));
    }

    public ErrorCode code() {
        return code;
    }

    /** The invalid fields, empty unless {@link #code()} is {@link ErrorCode#VALIDATION_FAILED}. */
    public List<FieldError> errors() {
        return errors;
    }

    /** How long the client should wait before retrying, for throttled, overloaded and unavailable. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
