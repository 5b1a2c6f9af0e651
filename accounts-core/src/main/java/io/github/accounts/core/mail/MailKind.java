package io.github.accounts.core.mail;

/**
 * What a mail is, for {@link MailBudget}: an address gets at most {@value MailBudget#PER_KIND} mails of one kind and
 * {@value MailBudget#IN_ALL} in all per hour. Each constant names the mails it counts.
 */
public enum MailKind {
    /** The new-sign-in notice (itself at most one per account per hour, see {@link SignInNoticeBatches}). */
    SIGN_IN_NOTICE,
    /**
     * The mails of an email change: the token to the new address, the "someone tried to use your address" mail to
     * an address that is taken, and the notices to the old address.
     */
    EMAIL_CHANGE,
    /** The email-verification token. */
    VERIFICATION,
    /** The password-reset token. */
    RESET,
    /**
     * The link and code of a passwordless sign-in by email (package emailsignin), and the reply to a request for an
     * unknown address.
     */
    EMAIL_SIGN_IN,
    /**
     * A factor changed: a passkey added or removed, TOTP turned on or off, recovery codes regenerated. Linking and
     * unlinking a provider's identity are told under this kind too, once identities exist.
     */
    FACTOR_CHANGE_NOTICE,
    /** The password changed or reset. */
    PASSWORD_NOTICE,
    /** What an operator did to the account (disabled it). */
    ACCOUNT_NOTICE
}
