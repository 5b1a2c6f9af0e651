package io.github.accounts.core.signin;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.passkey.PasskeyOptions;

import java.time.Instant;

/**
 * A signed-in session proving again that it is its user, for the changes that need a recent proof (see
 * {@link io.github.accounts.core.config.ReauthenticationWindows}): each returns until when the proof lets the session
 * add a way in ({@code accounts.reauthentication()}). Every attempt counts like a sign-in in the account's throttle.
 * Thread-safe.
 */
public interface Reauthentication {
    /** Proves the session with the account's password; {@code wrong_password} or {@code throttled} otherwise. */
    Instant withPassword(Authenticated current, String password);

    /**
     * Proves the session with a TOTP code (a recovery code is none here); {@code invalid_mfa_code} for a wrong,
     * reused or expired code, or while TOTP is off.
     */
    Instant withCode(Authenticated current, String code);

    /** Begins proving the session with a passkey: assertion options naming only the user's passkeys. */
    PasskeyOptions passkeyOptions(Authenticated current);

    /**
     * Proves the session with the assertion answering {@link #passkeyOptions}; {@code invalid_ceremony}, or
     * {@code invalid_mfa_code} for an assertion that does not verify.
     */
    Instant withPasskey(Authenticated current, String ceremonyId, String credentialJson);
}
