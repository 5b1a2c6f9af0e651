/**
 * Password hashing behind a bulkhead, the password policy and the password check of changes that need one.
 * Machinery of accounts-core, not API: a host reaches passwords through {@code accounts.signIns()},
 * {@code profile()} and {@code mail()}.
 */
package io.github.accounts.core.password;
