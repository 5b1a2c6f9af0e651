/**
 * Counting failed sign-ins per account and per client address, in the database. Machinery of accounts-core, not
 * API.
 */
package io.github.accounts.core.throttle;
