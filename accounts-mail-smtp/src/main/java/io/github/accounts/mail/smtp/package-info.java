/**
 * An SMTP {@link io.github.accounts.core.mail.Mailer} for accounts: {@link io.github.accounts.mail.smtp.SmtpMailer},
 * configured by {@link io.github.accounts.mail.smtp.SmtpSettings}.
 */
package io.github.accounts.mail.smtp;
