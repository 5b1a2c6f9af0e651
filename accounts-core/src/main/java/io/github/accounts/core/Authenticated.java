package io.github.accounts.core;

import io.github.accounts.core.config.SecondFactorPolicy;
import io.github.accounts.core.user.UserInfo;

/**
 * Proof that a session token was valid when presented: the user and the id of the session it belongs to.
 * Operations on "my" account take one, so they cannot run without authentication first.
 */
public record Authenticated(UserInfo user, long sessionId) {
    /** The user's id, for host code that keys its own data on it. */
    public long userId() {
        return user.id();
    }

    /** Whether {@code policy} requires a second factor the user has not confirmed yet: the session is for enrolling. */
    public boolean secondFactorMissing(SecondFactorPolicy policy) {
        return policy.required() && !user.mfaEnabled();
    }
}
