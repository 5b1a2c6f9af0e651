package io.github.accounts.core.operator;

import io.github.accounts.core.user.UserInfo;

import java.time.Instant;

/**
 * A user as an operator sees them: the user, whether and why they are disabled, and how many sessions they have
 * that still work. Immutable.
 */
public record ManagedUser(UserInfo user, Instant disabledAt, String disabledReason, int sessions) {
    public boolean disabled() {
        return disabledAt != null;
    }
}
