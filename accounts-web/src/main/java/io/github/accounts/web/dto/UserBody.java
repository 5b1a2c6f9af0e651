package io.github.accounts.web.dto;

import io.github.accounts.core.user.UserInfo;

import java.time.Instant;

/** The contract's User shape: never a password digest or a token. */
public record UserBody(long id, String email, String fname, String lname, boolean emailVerified, Instant createdAt,
                       Instant updatedAt, boolean mfaEnabled, boolean hasPassword) {
    public static UserBody of(UserInfo u) {
        return new UserBody(u.id(), u.email(), u.fname(), u.lname(), u.emailVerified(), u.createdAt(), u.updatedAt(),
                u.mfaEnabled(), u.hasPassword());
    }
}
