package io.github.accounts.core;

/**
 * The outcome of sign-up or sign-in: who, and their new session; or, for a user with a second factor whose password
 * was right, who, no session, and the second step to take ({@link Accounts#completeSignIn}). Immutable.
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
