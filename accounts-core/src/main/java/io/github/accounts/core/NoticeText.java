package io.github.accounts.core;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The wording of security notices: what happened, when, from where, and what to do if it was not the user. */
final class NoticeText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String IF_NOT_YOU = "If it was not you, ";
    private static final String RESET_NOW = "reset your password at once with \"forgot password\": that also signs"
            + " out every session.";

    private NoticeText() {
    }

    /** A notice's subject and body. */
    record Notice(String subject, String body) {
    }

    static Notice of(Notifications.Type type, Instant at, String ip, String userAgent, String newEmail) {
        return switch (type) {
            case NEW_SIGN_IN -> notice("New sign-in to your account",
                    "Your account was signed in to from a device or network it has not used lately.", at, ip,
                    userAgent, IF_NOT_YOU + "change your password now (\"forgot password\" if you cannot sign in)"
                            + " and sign out your other sessions.");
            case PASSWORD_CHANGED -> notice("Your password was changed", "The password of your account was changed.",
                    at, ip, userAgent, IF_NOT_YOU + RESET_NOW);
            case PASSWORD_RESET -> notice("Your password was reset",
                    "The password of your account was reset with a link mailed to this address, and every session"
                            + " was signed out.", at, ip, userAgent, IF_NOT_YOU + RESET_NOW);
            case EMAIL_CHANGED -> notice("Your email address was changed",
                    "Your account no longer uses this address: it now uses " + mask(newEmail) + ".", at, ip,
                    userAgent, IF_NOT_YOU + "contact the site's support at once and keep this message; password"
                            + " resets now go to the new address.");
            case MFA_DISABLED -> notice("Two-step sign-in was turned off",
                    "The second factor of your account was turned off: a password alone now signs in.", at, ip,
                    userAgent, IF_NOT_YOU + "change your password and turn two-step sign-in on again.");
            case PASSKEY_ADDED -> notice("A passkey was added to your account",
                    "A new passkey can now sign in to your account.", at, ip, userAgent,
                    IF_NOT_YOU + "remove that passkey in your account settings and change your password.");
            case ACCOUNT_DISABLED -> notice("Your account was disabled",
                    "An operator disabled your account: it cannot sign in until it is enabled again.", at, null,
                    "an operator of the site", "If you think this is a mistake, contact the site's support.");
        };
    }

    /** How a notice writes a time: {@code 2026-12-01 11:30:00 UTC}. */
    static String when(Instant at) {
        return WHEN.format(at);
    }

    /** The address with all but the first character of its local part hidden: {@code a***@example.com}. */
    static String mask(String email) {
        int at = email.lastIndexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    private static Notice notice(String subject, String what, Instant at, String ip, String userAgent,
                                 String ifNotYou) {
        String from = ip == null && userAgent == null ? "unknown"
                : ip == null ? userAgent
                : userAgent == null ? "address " + ip
                : "address " + ip + ", " + userAgent;
        return new Notice(subject, what + "\n\nWhen: " + when(at) + "\nFrom: " + from + "\n\n"
                + "If this was you, nothing needs doing. " + ifNotYou + "\n");
    }
}
