package io.github.accounts.core.session;

import io.github.accounts.core.Accounts;

import java.time.Instant;
import java.util.List;

/**
 * A sign-in waiting for its second factor: the single-use {@code mfaToken} that {@link Accounts#signIns()}
 * takes (stored only as a digest; it dies after five wrong codes), the methods the user has ({@code totp},
 * {@code recovery_code}), and when the token expires. Immutable.
 */
public record MfaRequired(String mfaToken, List<String> methods, Instant expiresAt) {
    public MfaRequired {
        methods = List.copyOf(methods);
    }

    @Override
    public String toString() {
        return "MfaRequired[methods=" + methods + ", expiresAt=" + expiresAt + "]";
    }
}
