package io.github.accounts.core.federation;

import java.net.URI;
import java.time.Instant;

/** One provider's side of the flow: where the browser goes, and who came back. Thread-safe. */
interface ProviderClient {
    /**
     * The authorization URL carrying {@code state}, {@code nonce} (OpenID Connect) and the PKCE challenge;
     * {@code fresh} asks the provider for a fresh login rather than its remembered one (a re-authentication).
     */
    URI authorizationUrl(String state, String nonce, String codeVerifier, boolean fresh);

    /**
     * The issuer the provider names in its callback's {@code iss} parameter (RFC 9207), and whether it always sends
     * one.
     */
    String responseIssuer();

    boolean requiresResponseIssuer();

    /**
     * Exchanges {@code code} with the PKCE verifier and validates what comes back; {@link ProviderFailure} if not.
     * {@code freshSince} non-null (a re-authentication): the user must have logged in at the provider since then,
     * where the provider can say so.
     */
    ProviderIdentity identity(String code, String codeVerifier, String nonce, Instant freshSince);
}
