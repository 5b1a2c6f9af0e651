package io.github.accounts.core.mfa;

import io.github.accounts.core.Authenticated;

import java.util.List;

/**
 * The second factor: TOTP and its recovery codes ({@code accounts.mfa()}). Each change checks the password first and
 * counts like a sign-in in the account's throttle. Thread-safe.
 */
public interface Mfa {
    /**
     * Whether the host gave a TOTP key ({@code AccountsBuilder.totpKeys}); without one the second factor is not
     * offered and every method here is {@code not_found}.
     */
    boolean available();

    /**
     * Starts TOTP enrolment after checking the password: a new secret, shown this once, that {@link #confirmTotp}
     * turns on; {@code mfa_already_enabled} while TOTP is on, {@code email_not_verified} before the email is.
     */
    TotpEnrolment startTotp(Authenticated current, String password);

    /**
     * Turns TOTP on with a first code of the pending secret; returns the 10 recovery codes, shown this once, and the
     * count of the user's other active sessions.
     */
    TotpEnabled confirmTotp(Authenticated current, String code);

    /** Turns TOTP off after the password and a TOTP or recovery code; the recovery codes are deleted. */
    void disableTotp(Authenticated current, String password, String code);

    /** A fresh set of 10 recovery codes after checking the password; the old set stops working. */
    List<String> regenerateRecoveryCodes(Authenticated current, String password);
}
