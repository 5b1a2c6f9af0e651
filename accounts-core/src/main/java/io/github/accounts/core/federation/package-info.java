/**
 * Federated sign-in: any OpenID Connect provider by its issuer URL, and GitHub (OAuth 2.0 with its user and emails
 * API), through the authorization-code flow with PKCE, a {@code state} and a {@code nonce} kept in the database as
 * digests. The service is {@link io.github.accounts.core.federation.Federation} ({@code Accounts.federation()}); the
 * host lists its providers in {@link io.github.accounts.core.federation.FederationSettings}. Identities are keyed by
 * (issuer, subject), never by email. Nimbus' OAuth 2.0 SDK does discovery, the code exchange and ID-token validation
 * ({@link io.github.accounts.core.federation.ProviderClients}, not API, as are the stores).
 */
package io.github.accounts.core.federation;
