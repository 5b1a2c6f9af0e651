package io.github.accounts.core;

import java.util.Objects;

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
}
