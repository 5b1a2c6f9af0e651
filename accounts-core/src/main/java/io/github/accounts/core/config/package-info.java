/**
 * Accounts' settings as immutable values, one record per concern (lifetimes, passwords, hashing, throttling, second
 * factor, passkeys, re-authentication), grouped in {@link io.github.accounts.core.config.AccountsConfig}.
 */
package io.github.accounts.core.config;
