package io.github.accounts.core.passkey;

import com.yubico.webauthn.data.ByteArray;
import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.internal.Sql;
import jakarta.persistence.EntityManager;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The WebAuthn user handle of each user, in {@code passkey_user_handles}: {@value #BYTES} random bytes, made at the
 * user's first passkey registration, so that a handle an authenticator shows or a relying party leaks reveals nothing
 * (not the user id, not the email). The user's passkeys registered before it keep the legacy handle, the id as 8
 * bytes: the row records the newest of them ({@code legacy_until_id}; see {@link CredentialTable}). Thread-safe.
 */
final class UserHandles {
    /** The handle's length: WebAuthn's maximum, as the spec recommends for a random handle. */
    static final int BYTES = 64;

    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    UserHandles(Clock clock) {
        this.clock = clock;
    }

    /** The user's handle, made now if they have none; of two first registrations at once, both get the winner's. */
    ByteArray ofOrNew(EntityManager em, long userId) {
        Optional<ByteArray> known = of(em, userId);
        if (known.isPresent()) {
            return known.get();
        }
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        Jdbc.updateUnlessDuplicate(em, """
                        insert into passkey_user_handles (user_id, user_handle, legacy_until_id, created_at)
                        select ?, ?, coalesce(max(id), 0), ? from passkey_credentials where user_id = ?""",
                userId, new ByteArray(bytes).getBase64Url(), clock.instant(), userId);
        return of(em, userId).orElseThrow();
    }

    /** The user's random handle, if one was made. */
    static Optional<ByteArray> of(EntityManager em, long userId) {
        return Sql.query(em, "select user_handle from passkey_user_handles where user_id = ?",
                rs -> CredentialTable.base64Url(rs.getString(1)), userId).stream().findFirst();
    }
}
