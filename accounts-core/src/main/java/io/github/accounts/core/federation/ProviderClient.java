package io.github.accounts.core.federation;

import java.net.URI;

/** One provider's side of the flow: where the browser goes, and who came back. Thread-safe. */
interface ProviderClient {
    /** The authorization URL carrying {@code state}, {@code nonce} (OpenID Connect) and the PKCE challenge. */
    URI authorizationUrl(String state, String nonce, String codeVerifier);

    /**
     * The issuer the provider names in its callback's {@code iss} parameter (RFC 9207), and whether it always sends
     * one.
     */
    String responseIssuer();

    boolean requiresResponseIssuer();

    /** Exchanges {@code code} with the PKCE verifier and validates what comes back; {@link ProviderFailure} if not. */
    ProviderIdentity identity(String code, String codeVerifier, String nonce);
}
