package io.github.accounts.core.session;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.user.UserInfo;

/**
 * The outcome of sign-up or sign-in: who, and their new session; or, for a user with a second factor whose password
 * was right, who, no session, and the second step to take ({@link Accounts#signIns()}). Immutable.
 */
public record SignedIn(UserInfo user, IssuedSession session, MfaRequired mfaRequired) {
    /** Signed in: a session, no second step. */
    public SignedIn(UserInfo user, IssuedSession session) {
        this(user, session, null);
    }

    /** Whether the sign-in still waits for a second factor ({@link #session()} is then null). */
    public boolean needsSecondFactor() {
        return mfaRequired != null;
    }
}
