package io.github.accounts.core;

/** What an {@link AccountsException} reports; each value is one of the HTTP contract's stable {@code code}s. */
public enum ErrorCode {
    VALIDATION_FAILED,
    INVALID_CREDENTIALS,
    UNAUTHENTICATED,
    INVALID_UPDATE_TOKEN,
    INVALID_TOKEN,
    WRONG_PASSWORD,
    NOT_FOUND,
    EMAIL_TAKEN,
    THROTTLED,
    OVERLOADED,
    UNAVAILABLE,
    /** The right credentials for an account an operator disabled (never told for wrong ones). */
    ACCOUNT_DISABLED,
    /** An operator's route called by a session the host does not allow. */
    FORBIDDEN,
    /** A passkey registration that does not verify (attestation, origin, RP ID or challenge). */
    INVALID_WEBAUTHN_RESPONSE,
    /** A passkey {@code ceremony_id} that is unknown, expired or already used. */
    INVALID_CEREMONY,
    /** A second sign-in step with an unknown, expired, used-up or already completed {@code mfa_token}. */
    INVALID_MFA_TOKEN,
    /** A wrong, reused or expired TOTP code, or an unknown or used recovery code. */
    INVALID_MFA_CODE,
    /** Starting TOTP enrolment while TOTP is on. */
    MFA_ALREADY_ENABLED,
    /** Confirming, disabling or regenerating codes while TOTP is off (or no enrolment is pending). */
    MFA_NOT_ENABLED,
    /** A change to the account's ways in by a session without a recent enough sign-in or proof. */
    REAUTHENTICATION_REQUIRED,
    /** An operation that needs a verified email (adding a factor, acting as an operator) before it is verified. */
    EMAIL_NOT_VERIFIED,
    /** An operator's route called by a session without the second factor the profile requires. */
    MFA_REQUIRED,
    /**
     * A webhook URL that is not {@code https:} (plain {@code http:} only where the host allows it), or that resolves
     * to a loopback, private, link-local or metadata address the host did not allow, or does not resolve at all.
     */
    INVALID_WEBHOOK_URL,
    /** A fault of the library or its database (a bug, a broken schema), not an answer: the cause is for the log. */
    INTERNAL_ERROR;

    /** The contract's spelling of this code, e.g. {@code invalid_credentials}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
