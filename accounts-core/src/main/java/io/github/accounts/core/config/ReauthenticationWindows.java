package io.github.accounts.core.config;

import java.time.Duration;

/**
 * How recent a session's authentication must be before it changes the account's ways in. Adding one (a passkey, a
 * linked identity) needs a proof given by the session within {@code proof}: a re-authentication or an inline
 * password, never the sign-in alone, so that a stolen session cannot plant a lasting way in. Removing one (or
 * exporting the account's data) needs a sign-in or a proof within {@code signIn}. Immutable.
 */
public record ReauthenticationWindows(Duration proof, Duration signIn) {
    public ReauthenticationWindows {
        SessionLifetimes.positive(proof, "proof");
        SessionLifetimes.positive(signIn, "signIn");
    }

    /** The contract's windows: a proof within 5 minutes, a sign-in within 10. */
    public static ReauthenticationWindows defaults() {
        return new ReauthenticationWindows(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
}
