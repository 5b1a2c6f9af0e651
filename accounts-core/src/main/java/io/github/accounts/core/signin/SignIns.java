package io.github.accounts.core.signin;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.user.NewUser;

/**
 * Sign-up and sign-in with a password, and the second step a user with TOTP on completes with a code or a passkey
 * ({@code accounts.signIns()}). Sign-in with a passkey alone is {@code accounts.passkeys().signIn}. Thread-safe.
 */
public interface SignIns {
    /** Registers a user and signs them in; {@code validation_failed} or {@code email_taken} otherwise. */
    SignedIn signUp(NewUser input, ClientInfo client);

    /**
     * Signs in with email and password, giving this device a new session; for a user with TOTP on, no session yet
     * but {@link SignedIn#mfaRequired()}, the step {@link #completeSignIn} completes. Unknown emails cost the same
     * hash as a wrong password and get the same {@code invalid_credentials}; repeated failures are
     * {@code throttled}.
     */
    SignedIn signIn(String email, String password, ClientInfo client);

    /**
     * Completes a sign-in with the {@code mfa_token} of {@link SignedIn#mfaRequired()} and a TOTP or recovery code:
     * the session, or {@code invalid_mfa_token}, {@code invalid_mfa_code} (counted like a wrong password),
     * {@code throttled}, {@code account_disabled}.
     */
    SignedIn completeSignIn(String mfaToken, String code, ClientInfo client);

    /**
     * Begins the passkey second step of a sign-in that needs one ({@code "passkey"} among its methods): a ceremony
     * bound to that {@code mfa_token} (replacing one it began before) and assertion options naming only the user's
     * passkeys; {@code invalid_mfa_token} for a dead token, {@code not_found} when passkeys are not set up.
     */
    PasskeyOptions secondStepPasskeyOptions(String mfaToken);

    /**
     * Completes a sign-in with the {@code mfa_token}, the ceremony of {@link #secondStepPasskeyOptions} and the
     * passkey's assertion ({@code credential.toJSON()}): the session, or {@code invalid_ceremony}, {@code
     * invalid_mfa_code} for an assertion that does not verify, is not one of the user's passkeys or answers a ceremony
     * of another {@code mfa_token} (counted like a wrong code), and the refusals of {@link #completeSignIn}.
     */
    SignedIn completeSignInWithPasskey(String mfaToken, String ceremonyId, String credentialJson, ClientInfo client);
}
