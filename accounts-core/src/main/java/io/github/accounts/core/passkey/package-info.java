/**
 * Passkeys: {@link io.github.accounts.core.passkey.Passkeys} and its records are API. The rest is machinery:
 * credentials and ceremonies kept in the database, verified by Yubico's relying party behind
 * {@link io.github.accounts.core.passkey.WebAuthn}.
 */
package io.github.accounts.core.passkey;
