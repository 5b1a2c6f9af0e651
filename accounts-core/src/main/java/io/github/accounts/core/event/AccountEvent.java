package io.github.accounts.core.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded change to an account. {@code userId}, {@code sessionId}, {@code ip} and {@code userAgent} are null
 * when unknown; {@code detail} is small, type-specific (e.g. {@code reason} of a revocation, {@code actor_user_id}
 * of an operator's action), holds strings and numbers only, and never a secret or token. Ids increase with time.
 * Immutable.
 */
public record AccountEvent(long id, Long userId, String type, Instant at, Long sessionId, String ip,
                           String userAgent, Map<String, Object> detail) {
    public static final String USER_SIGNED_UP = "user.signed_up";
    public static final String SIGNED_IN = "session.signed_in";
    public static final String SIGN_IN_FAILED = "session.sign_in_failed";
    /** A sign-in link and code were mailed to the account (detail {@code method} {@code email}). */
    public static final String SIGN_IN_REQUESTED = "session.sign_in_requested";
    public static final String THROTTLED = "session.throttled";
    public static final String SESSION_REVOKED = "session.revoked";
    public static final String PASSWORD_CHANGED = "password.changed";
    public static final String PASSWORD_RESET = "password.reset";
    public static final String EMAIL_VERIFIED = "email.verified";
    public static final String USER_UPDATED = "user.updated";
    public static final String USER_DISABLED = "user.disabled";
    public static final String USER_ENABLED = "user.enabled";
    public static final String THROTTLE_CLEARED = "user.throttle_cleared";
    /**
     * On the operator's own account: an admin action, with detail {@code action} ({@code disable}, {@code enable},
     * {@code sign_out}, {@code clear_throttle}), {@code target_user_id} and any {@code reason}.
     */
    public static final String OPERATOR_ACTION = "operator.action";
    public static final String EMAIL_CHANGE_REQUESTED = "email.change_requested";
    public static final String EMAIL_CHANGED = "email.changed";
    /** A mail the {@code Mailer} finally did not deliver; detail {@code kind} and {@code message_id}. */
    public static final String MAIL_FAILED = "mail.failed";
    public static final String PASSKEY_ADDED = "passkey.added";
    public static final String PASSKEY_REMOVED = "passkey.removed";
    /** The right password of a user with a second factor: a second step was asked for. */
    public static final String MFA_REQUIRED = "session.mfa_required";
    public static final String MFA_ENABLED = "mfa.enabled";
    public static final String MFA_DISABLED = "mfa.disabled";
    public static final String MFA_RECOVERY_CODE_USED = "mfa.recovery_code_used";
    public static final String MFA_RECOVERY_CODES_REGENERATED = "mfa.recovery_codes_regenerated";
    /**
     * The inbox of an unverified account was proved for the first time (detail {@code proof}, e.g. {@code
     * password_reset}): every other claim on it ended, its sessions, factors and pending tokens.
     */
    public static final String USER_CLAIMED = "user.claimed";
    /** An identity of a provider was linked to the account (detail {@code provider}, {@code identity_id}). */
    public static final String IDENTITY_LINKED = "identity.linked";
    /** An identity of a provider was unlinked from the account (detail {@code provider}, {@code identity_id}). */
    public static final String IDENTITY_UNLINKED = "identity.unlinked";
    /** On the operator's own account: a webhook registered; detail {@code webhook_id} and {@code actor_user_id}. */
    public static final String WEBHOOK_CREATED = "webhook.created";
    /** On the operator's own account: a webhook deleted; detail {@code webhook_id} and {@code actor_user_id}. */
    public static final String WEBHOOK_DELETED = "webhook.deleted";

    public AccountEvent {
        Objects.requireNonNull(type, "null type");
        Objects.requireNonNull(at, "null at");
        detail = Map.copyOf(detail);
    }
}
