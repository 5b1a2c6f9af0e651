/**
 * The second factor: RFC 6238 TOTP, its secret sealed with AES-256-GCM under the host's keys, recovery codes kept as
 * keyed digests, and the tokens of the second sign-in step. Internal to accounts-core: not API.
 */
package io.github.accounts.core.mfa;
