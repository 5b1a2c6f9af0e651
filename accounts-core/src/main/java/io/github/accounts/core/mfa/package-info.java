/**
 * The second factor: {@link io.github.accounts.core.mfa.Mfa} (TOTP enrolment, recovery codes) and its records are
 * API. The rest is machinery of accounts-core: RFC 6238 TOTP with its secret sealed under the host's keys, recovery
 * codes kept as keyed digests, the tokens of the second sign-in step.
 */
package io.github.accounts.core.mfa;
