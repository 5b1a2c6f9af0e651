package io.github.accounts.core.federation;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.SignedIn;

import java.util.List;
import java.util.Map;

/**
 * Federated sign-in ({@code Accounts.federation()}): a flow begins with {@link #start} (sign-in) or {@link #startLink}
 * (linking another provider to the signed-in account) and ends at the provider's callback, {@link #finish}. A flow is
 * single use, lives 10 minutes, is stored as digests and is bound to the browser that began it by the
 * {@link FederatedStart#browserKey()} the caller keeps for that browser. With no providers configured,
 * {@link #providers()} is empty and every provider id is {@code unknown_provider}. Thread-safe.
 */
public interface Federation {
    /** The providers offered, in the host's order. */
    List<ProviderInfo> providers();

    /**
     * Begins a sign-in with provider {@code providerId}, to come back to {@code returnTo} (a path on this origin; null
     * for {@code /}); {@code unknown_provider} or {@code invalid_return_to} otherwise.
     */
    FederatedStart start(String providerId, String returnTo, ClientInfo client);

    /**
     * Begins linking provider {@code providerId} to the signed-in account, which needs a verified email
     * ({@code email_not_verified}) and a recent proof by this session ({@code reauthentication_required}).
     */
    FederatedStart startLink(Authenticated current, String providerId, String returnTo, ClientInfo client);

    /**
     * Begins re-authenticating the signed-in session through provider {@code providerId} (a fresh login asked of the
     * provider): its callback proves the session ({@link CallbackOutcome.Reauthenticated}) when the identity that
     * comes back is one of the account's own, and only the session that began the flow, in the browser that holds its
     * pre-auth cookie. {@code not_found} when no identity of the account is linked at that provider.
     */
    FederatedStart startReauthentication(Authenticated current, String providerId, String returnTo, ClientInfo client);

    /**
     * Finishes the flow of provider {@code providerId} with the callback's query {@code parameters} and the
     * {@code browserKey} of the browser that brought it (null if it had none). Every refusal is a
     * {@link CallbackOutcome.Failed}, not an exception, except {@code unknown_provider}; a provider's failures are
     * logged as a WARN without tokens or codes.
     */
    CallbackOutcome finish(String providerId, Map<String, List<String>> parameters, String browserKey,
                           ClientInfo client);

    /**
     * Proves the account a {@link CallbackOutcome.LinkRequired} named with its password, links the identity and signs
     * in; {@code invalid_link_token} (unknown, expired, used, or another browser's), {@code wrong_password} (counted
     * in the sign-in throttle; the link token stays usable), {@code throttled}, {@code account_disabled}.
     */
    SignedIn completeLink(String linkToken, String browserKey, String password, ClientInfo client);

    /**
     * As {@link #completeLink}, proving the account with a passkey assertion answering passwordless sign-in options
     * ({@code Accounts.passkeySignInOptions}) instead; a failed assertion, or a passkey of another account, is
     * {@code invalid_credentials} (counted in the sign-in throttle; the link token stays usable), an unknown ceremony
     * {@code invalid_ceremony}, and {@code not_found} without passkeys.
     */
    SignedIn completeLinkWithPasskey(String linkToken, String browserKey, String ceremonyId, String credentialJson,
                                     ClientInfo client);

    /** The identities linked to the signed-in account, oldest first. */
    List<IdentityInfo> identities(Authenticated current);

    /**
     * Unlinks one of the user's identities; {@code not_found} for one that is not theirs,
     * {@code last_sign_in_method} when no password, passkey or other identity would be left, and
     * {@code reauthentication_required} unless the session signed in or re-authenticated recently.
     */
    void unlink(Authenticated current, long identityId, ClientInfo client);
}
