/**
 * Passkeys (WebAuthn): credentials and ceremonies kept in the database, verified by Yubico's relying party behind
 * {@link io.github.accounts.core.passkey.Passkeys}. Reached through the {@code Accounts} facade; not API.
 */
package io.github.accounts.core.passkey;
