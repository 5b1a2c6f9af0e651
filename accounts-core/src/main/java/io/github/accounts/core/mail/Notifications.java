package io.github.accounts.core.mail;

import io.github.accounts.core.AccountsBuilder;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which security notices accounts mails users, each fed by an account event after its transaction commits; all
 * are on unless the host turns some off with {@link AccountsBuilder#notifications}. Immutable.
 *
 * @param enabled the notices that are sent
 */
public record Notifications(Set<Type> enabled) {
    /**
     * One kind of notice, and the event type that triggers it. A factor change (a passkey, TOTP, recovery codes, a
     * linked identity) is always one of them.
     */
    public enum Type {
        /** A sign-in from a device and network not seen for the user in 90 days. */
        NEW_SIGN_IN("session.signed_in"),
        PASSWORD_CHANGED("password.changed"),
        PASSWORD_RESET("password.reset"),
        /** Sent to the old address; it is how the HTTP contract's "the old address is told" is kept. */
        EMAIL_CHANGED("email.changed"),
        /** The second factor (TOTP) turned off. */
        MFA_DISABLED("mfa.disabled"),
        PASSKEY_ADDED("passkey.added"),
        PASSKEY_REMOVED("passkey.removed"),
        /** The second factor (TOTP) turned on. */
        MFA_ENABLED("mfa.enabled"),
        RECOVERY_CODES_REGENERATED("mfa.recovery_codes_regenerated"),
        /** An operator disabled the account. */
        ACCOUNT_DISABLED("user.disabled"),
        /** A provider's identity was linked to the account. */
        IDENTITY_LINKED("identity.linked"),
        /** A provider's identity was unlinked from the account. */
        IDENTITY_UNLINKED("identity.unlinked"),
        /** The first proof of the inbox of an unverified account ended every other claim on it. */
        ACCOUNT_CLAIMED("user.claimed");

        private final String eventType;

        Type(String eventType) {
            this.eventType = eventType;
        }

        /** The account event type that triggers this notice. */
        public String eventType() {
            return eventType;
        }

        static Type of(String eventType) {
            for (Type t : values()) {
                if (t.eventType.equals(eventType)) {
                    return t;
                }
            }
            return null;
        }
    }

    public Notifications {
        Objects.requireNonNull(enabled, "null enabled");
        enabled = enabled.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(enabled));
    }

    /** Every notice: the default. */
    public static Notifications all() {
        return new Notifications(EnumSet.allOf(Type.class));
    }

    /** No notice at all (the old address is then not told of an email change either). */
    public static Notifications none() {
        return new Notifications(Set.of());
    }

    /** These notices without {@code types}. */
    public Notifications without(Type... types) {
        EnumSet<Type> left = enabled.isEmpty() ? EnumSet.noneOf(Type.class) : EnumSet.copyOf(enabled);
        for (Type t : types) {
            left.remove(Objects.requireNonNull(t, "null type"));
        }
        return new Notifications(left);
    }

    public boolean isOn(Type type) {
        return enabled.contains(type);
    }
}
