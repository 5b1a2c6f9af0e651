package io.github.accounts.core.config;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;

/**
 * Whether every account must have a second factor. {@code required}: sign-up, and the sign-in of a user who has no
 * second factor yet, still give a session, but one limited to the accounts routes themselves (enough to enrol: see
 * {@link Accounts#mfa()}); the host's routes behind the guard refuse it (403 {@code forbidden}) until TOTP is
 * confirmed, and again if it is turned off. {@link Authenticated#secondFactorMissing} says so for hosts that check
 * sessions themselves. Immutable.
 */
public record SecondFactorPolicy(boolean required) {
    /** The second factor is each user's choice. */
    public static SecondFactorPolicy optional() {
        return new SecondFactorPolicy(false);
    }
}
