/** Counting failed sign-ins per account and per client address, in the database. Internal: not API. */
package io.github.accounts.core.throttle;
