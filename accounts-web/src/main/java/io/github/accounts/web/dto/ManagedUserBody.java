package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.accounts.core.operator.ManagedUser;
import io.github.accounts.core.user.UserInfo;

import java.time.Instant;

/**
 * The User shape as admin routes give it (with {@code has_password}, false for an account a provider or an email
 * sign-in made until a password is set): plus {@code disabled} (with when and why, null when not), and the count
 * of sessions that still work.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ManagedUserBody(long id, String email, String fname, String lname, boolean emailVerified,
                              Instant createdAt, Instant updatedAt, boolean disabled, Instant disabledAt,
                              String disabledReason, int sessions, boolean mfaEnabled,
                              boolean hasPassword) {
    public static ManagedUserBody of(ManagedUser m) {
        UserInfo u = m.user();
        return new ManagedUserBody(u.id(), u.email(), u.fname(), u.lname(), u.emailVerified(), u.createdAt(),
                u.updatedAt(), m.disabled(), m.disabledAt(), m.disabledReason(), m.sessions(),
                u.mfaEnabled(), u.hasPassword());
    }
}
