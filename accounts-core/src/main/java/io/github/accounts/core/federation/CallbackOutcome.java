package io.github.accounts.core.federation;

import io.github.accounts.core.session.SignedIn;

import java.time.Instant;

/**
 * What a provider's callback came to, with the {@code returnTo} path the browser goes back to (its flow's, or
 * {@code /} when the flow is unknown). Immutable.
 */
public sealed interface CallbackOutcome {
    /** The path the browser is sent back to. */
    String returnTo();

    /**
     * Signed in (outcomes 1 to 3 of the contract): a session, or for a user with TOTP on no session but the second
     * step ({@link SignedIn#mfaRequired()}).
     */
    record SignedInWith(String returnTo, SignedIn signedIn) implements CallbackOutcome {
    }

    /**
     * The provider's verified address is that of another verified account: the user proves that account with
     * {@code linkToken} ({@link Federation#completeLink}) before the identity is linked to it.
     */
    record LinkRequired(String returnTo, String linkToken, String email) implements CallbackOutcome {
        @Override
        public String toString() {
            return "LinkRequired[returnTo=" + returnTo + "]";
        }
    }

    /** The identity was linked to the account that asked ({@link Federation#startLink}); its session stays. */
    record Linked(String returnTo, IdentityInfo identity) implements CallbackOutcome {
    }

    /**
     * The session that began the flow ({@link Federation#startReauthentication}) proved itself through the provider,
     * with one of its account's identities: it may add a way in until {@code reauthenticatedUntil}.
     */
    record Reauthenticated(String returnTo, Instant reauthenticatedUntil) implements CallbackOutcome {
    }

    /**
     * Nothing made, linked or signed in: {@code error} is the contract's {@code #accounts_error} code
     * ({@code access_denied}, {@code invalid_state}, {@code provider_error}, {@code email_not_verified},
     * {@code sign_up_closed}, {@code account_disabled}, {@code identity_taken}).
     */
    record Failed(String returnTo, String error) implements CallbackOutcome {
    }
}
