package io.github.accounts.core.user;

import java.time.Instant;

/**
 * A user as clients may see it: never a password digest or a token. {@code mfaEnabled}: TOTP is on, so a password
 * sign-in needs a second step; {@code hasPassword}: false for an account a provider made, until the user sets one
 * through password reset. Immutable.
 */
public record UserInfo(long id, String email, String fname, String lname, boolean emailVerified,
                       Instant createdAt, Instant updatedAt, boolean mfaEnabled, boolean hasPassword) {
    /** A user with a password. */
    public UserInfo(long id, String email, String fname, String lname, boolean emailVerified, Instant createdAt,
                    Instant updatedAt, boolean mfaEnabled) {
        this(id, email, fname, lname, emailVerified, createdAt, updatedAt, mfaEnabled, true);
    }

    /** A user without a second factor. */
    public UserInfo(long id, String email, String fname, String lname, boolean emailVerified, Instant createdAt,
                    Instant updatedAt) {
        this(id, email, fname, lname, emailVerified, createdAt, updatedAt, false);
    }
}
