/**
 * Signing in: {@link io.github.accounts.core.signin.SignIns} (sign-up, password sign-in, the second step) and
 * {@link io.github.accounts.core.signin.Reauthentication} (a session proving itself again) are API; their flows are
 * machinery of accounts-core.
 */
package io.github.accounts.core.signin;
