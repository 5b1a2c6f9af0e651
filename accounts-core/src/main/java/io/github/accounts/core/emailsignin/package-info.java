/**
 * Signing in with nothing but the inbox: {@link io.github.accounts.core.emailsignin.EmailSignIn}
 * ({@code accounts.emailSignIn()}) is API; its flow and table are machinery of accounts-core.
 */
package io.github.accounts.core.emailsignin;
