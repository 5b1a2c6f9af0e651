/**
 * Single-use mailed tokens (password reset, email verification and change), kept as digests. Machinery of
 * accounts-core, not API.
 */
package io.github.accounts.core.token;
