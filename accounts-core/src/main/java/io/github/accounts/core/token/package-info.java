/** Single-use emailed tokens for password reset and email verification. Internal to accounts-core: not API. */
package io.github.accounts.core.token;
