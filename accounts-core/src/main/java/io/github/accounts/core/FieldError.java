package io.github.accounts.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One invalid input field: {@code field} names it as clients send it, {@code code} is stable
 * ({@code required}, {@code invalid}, {@code too_long}, {@code password_too_weak}, ...), {@code message} is for people.
 */
public record FieldError(String field, String code, String message) {
    public FieldError {
        Objects.requireNonNull(field, "null field");
        Objects.requireNonNull(code, "null code");
        Objects.requireNonNull(message, "null message");
    }

    /** The {@code required} error of {@code field}: sent empty or not at all (one spelling for every field). */
    public static FieldError required(String field) {
        return new FieldError(field, "required", field + " is required.");
    }

    /** {@link #required} when {@code value} is null or empty, for flows that report every field's error at once. */
    public static Optional<FieldError> missing(String field, String value) {
        return value == null || value.isEmpty() ? Optional.of(required(field)) : Optional.empty();
    }

    /** {@code validation_failed} with {@link #required} when {@code value} is null or empty. */
    public static void requirePresent(String field, String value) {
        missing(field, value).ifPresent(error -> {
            throw AccountsException.invalid(List.of(error));
        });
    }
}
