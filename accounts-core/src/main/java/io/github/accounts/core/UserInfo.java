package io.github.accounts.core;

import java.time.Instant;

/** A user as clients may see it: never a password digest or a token. Immutable. */
public record UserInfo(long id, String email, String fname, String lname, boolean emailVerified,
                       Instant createdAt, Instant updatedAt) {
}
