/**
 * Mail: {@link io.github.accounts.core.mail.Mail} (password reset, email verification), the host's
 * {@link io.github.accounts.core.mail.Mailer} and {@link io.github.accounts.core.mail.Notifications} are API. The rest is
 * machinery: the outbox, the per-address mail budget and the security notices told from account events.
 */
package io.github.accounts.core.mail;
