package io.github.accounts.core.mail;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The wording of security notices: what happened, when, from where, and what to do if it was not the user. "From
 * where" is what {@link DeviceNames} makes of the client, never text the client sent; names never appear.
 */
public final class NoticeText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String IF_NOT_YOU = "If it was not you, ";
    private static final String FROM = "{from}";
    private static final String RESET_NOW = "reset your password at once with \"forgot password\": that also signs"
            + " out every session.";

    private NoticeText() {
    }

    /** The English template of the notice {@code kind} ({@link EnglishMails} has the others). */
    static MailTemplate template(MailTemplates.Kind kind) {
        return switch (kind) {
            case NOTICE_NEW_SIGN_IN -> MailTemplate.of("New sign-in to your account", "{sign_ins}\nIf this was you,"
                    + " nothing needs doing. " + IF_NOT_YOU + "change your password now (\"forgot password\" if you"
                    + " cannot sign in) and sign out your other sessions.\n");
            case NOTICE_PASSWORD_CHANGED -> notice("Your password was changed",
                    "The password of your account was changed.", FROM, IF_NOT_YOU + RESET_NOW);
            case NOTICE_PASSWORD_RESET -> notice("Your password was reset",
                    "The password of your account was reset with a link mailed to this address, and every session"
                            + " was signed out.", FROM, IF_NOT_YOU + RESET_NOW);
            case NOTICE_EMAIL_CHANGED -> notice("Your email address was changed",
                    "Your account no longer uses this address: it now uses {new_email}.", FROM,
                    IF_NOT_YOU + "contact the site's support at once and keep this message; password"
                            + " resets now go to the new address.");
            case NOTICE_MFA_DISABLED -> notice("Two-step sign-in was turned off",
                    "The second factor of your account was turned off: a password alone now signs in.", FROM,
                    IF_NOT_YOU + "change your password and turn two-step sign-in on again.");
            case NOTICE_PASSKEY_ADDED -> notice("A passkey was added to your account",
                    "A new passkey can now sign in to your account.", FROM,
                    IF_NOT_YOU + "remove that passkey in your account settings and change your password.");
            case NOTICE_PASSKEY_REMOVED -> notice("A passkey was removed from your account",
                    "One of your passkeys can no longer sign in to your account.", FROM,
                    IF_NOT_YOU + "change your password and check the passkeys left in your account settings.");
            case NOTICE_MFA_ENABLED -> notice("Two-step sign-in was turned on",
                    "Your account now asks for a code from an authenticator app after the password.", FROM,
                    IF_NOT_YOU + "contact the site's support at once: whoever did it holds your second factor.");
            case NOTICE_RECOVERY_CODES_REGENERATED -> notice("New recovery codes were made for your account",
                    "A new set of recovery codes was made for your account; the earlier ones no longer work.", FROM,
                    IF_NOT_YOU + "change your password and make new recovery codes yourself.");
            case NOTICE_ACCOUNT_DISABLED -> notice("Your account was disabled",
                    "An operator disabled your account: it cannot sign in until it is enabled again.",
                    "an operator of the site", "If you think this is a mistake, contact the site's support.");
            case NOTICE_IDENTITY_LINKED -> notice("A sign-in provider was linked to your account",
                    "An account at a sign-in provider (such as Google or GitHub) can now sign in to your account.",
                    FROM, IF_NOT_YOU + "unlink it in your account settings and change your password.");
            case NOTICE_IDENTITY_UNLINKED -> notice("A sign-in provider was unlinked from your account",
                    "An account at a sign-in provider can no longer sign in to your account.", FROM,
                    IF_NOT_YOU + "change your password and check the ways in left in your account settings.");
            case NOTICE_ACCOUNT_CLAIMED -> notice("Your account was secured",
                    "This address was proved for the first time, so every other way into the account was removed:"
                            + " other sessions, passkeys, two-step sign-in, linked providers and any password set"
                            + " before.", FROM, IF_NOT_YOU + RESET_NOW);
            default -> throw new IllegalArgumentException(kind + " is not a notice");
        };
    }

    /**
     * The {@code {sign_ins}} of the one new-sign-in notice of an hour: each new device with when and from where,
     * oldest first, and how many more there were beyond those listed.
     */
    static String signIns(SignInNoticeBatches.Batch batch) {
        StringBuilder body = new StringBuilder(batch.signIns().size() == 1 && batch.more() == 0
                ? "Your account was signed in to from a device or network it has not used lately.\n"
                : "Your account was signed in to from devices or networks it has not used lately.\n");
        for (SignInNoticeBatches.SignIn s : batch.signIns()) {
            body.append("\nWhen: ").append(when(s.at())).append("\nFrom: ").append(s.from()).append('\n');
        }
        if (batch.more() > 0) {
            body.append("\nAnd ").append(batch.more()).append(batch.more() == 1 ? " more sign-in" : " more sign-ins")
                    .append(" from new devices.\n");
        }
        return body.toString();
    }

    /** How a notice writes a time: {@code 2026-12-01 11:30:00 UTC}. */
    static String when(Instant at) {
        return WHEN.format(at);
    }

    /** The address with all but the first character of its local part hidden: {@code a***@example.com}. */
    public static String mask(String email) {
        int at = email.lastIndexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    private static MailTemplate notice(String subject, String what, String from, String ifNotYou) {
        return MailTemplate.of(subject, what + "\n\nWhen: {when}\nFrom: " + from + "\n\n"
                + "If this was you, nothing needs doing. " + ifNotYou + "\n");
    }
}
