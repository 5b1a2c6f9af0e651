package io.github.accounts.core.user;

import java.time.Instant;

/**
 * A user as clients may see it: never a password digest or a token. {@code mfaEnabled}: TOTP is on, so a password
 * sign-in needs a second step. Immutable.
 */
public record UserInfo(long id, String email, String fname, String lname, boolean emailVerified,
                       Instant createdAt, Instant updatedAt, boolean mfaEnabled) {
    /** A user without a second factor. */
    public UserInfo(long id, String email, String fname, String lname, boolean emailVerified, Instant createdAt,
                    Instant updatedAt) {
        this(id, email, fname, lname, emailVerified, createdAt, updatedAt, false);
    }
}
