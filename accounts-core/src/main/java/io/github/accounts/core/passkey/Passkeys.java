package io.github.accounts.core.passkey;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.SignedIn;

import java.util.List;

/**
 * Passkeys (WebAuthn): adding, listing, renaming and removing a user's passkeys, and signing in with one alone
 * ({@code accounts.passkeys()}). Without {@code AccountsBuilder.passkeys} every method but {@link #enabled} is
 * {@code not_found}. Thread-safe.
 */
public interface Passkeys {
    /** Whether passkeys are set up. */
    boolean enabled();

    /**
     * Begins adding a passkey for the signed-in user: the ceremony id and the creation options for the browser
     * (resident key required, user verification preferred, the user's passkeys excluded). Like {@link #add}, it
     * needs a verified email ({@code email_not_verified}) and a recent proof by this session
     * ({@code reauthentication_required}; see {@code accounts.reauthentication()}).
     */
    PasskeyOptions registrationOptions(Authenticated current);

    /**
     * Finishes adding a passkey with the browser's {@code credential.toJSON()}; {@code name} may be null.
     * {@code invalid_ceremony} for a ceremony id that is unknown, expired, used or another user's;
     * {@code invalid_webauthn_response} for a credential that does not verify.
     */
    PasskeyInfo add(Authenticated current, String ceremonyId, String credentialJson, String name, ClientInfo client);

    /** The signed-in user's passkeys, oldest first. */
    List<PasskeyInfo> list(Authenticated current);

    /** Renames one of the user's passkeys; {@code not_found} for an id that is not theirs. */
    PasskeyInfo rename(Authenticated current, long passkeyId, String name);

    /**
     * Removes one of the user's passkeys; {@code not_found} for an id that is not theirs, and
     * {@code reauthentication_required} unless the session signed in or re-authenticated recently.
     */
    void remove(Authenticated current, long passkeyId, ClientInfo client);

    /**
     * Begins a passwordless sign-in: request options that name no user (discoverable credentials). Each writes a
     * ceremony, so they are limited per client address ({@code PasskeyConfig.signInOptions()}), {@code throttled}
     * past that.
     */
    PasskeyOptions signInOptions(ClientInfo client);

    /**
     * Signs in with a passkey's assertion ({@code credential.toJSON()}), complete by itself: no second step.
     * {@code invalid_ceremony} for a ceremony id that is not live; {@code invalid_credentials} for an assertion that
     * does not verify (bad signature, unknown credential, counter went back); {@code account_disabled} for a
     * disabled account.
     */
    SignedIn signIn(String ceremonyId, String credentialJson, ClientInfo client);
}
