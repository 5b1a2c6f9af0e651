package io.github.accounts.core.mail;

/**
 * Accounts' own English mails, the default of every {@link MailTemplates.Kind}. Without a page to link to (no
 * {@code publicUrl}), the action mails carry the bare token instead of a link.
 */
final class EnglishMails {
    private static final String IGNORE = "If it was not you, ignore this message; ";

    private EnglishMails() {
    }

    static MailTemplate template(MailTemplates.Kind kind, boolean linked) {
        return switch (kind) {
            case RESET_PASSWORD -> MailTemplate.of("Reset your password",
                    "Someone asked to reset the password of your account.\nIf it was you, "
                            + (linked ? "open this link within {minutes} minutes to choose a new one:\n\n{link}"
                            : "use this token within {minutes} minutes:\n\n{token}")
                            + "\n\n" + IGNORE + "your password stays as it is.\n");
            case VERIFY_EMAIL -> MailTemplate.of("Verify your email address",
                    (linked ? "Open this link within {hours} hours to confirm this address:\n\n{link}"
                            : "Use this token within {hours} hours to confirm this address:\n\n{token}") + "\n");
            case CONFIRM_NEW_EMAIL -> MailTemplate.of("Confirm your new email address",
                    "Someone signed in as {old_email} asked to use this address for their account from now on. If"
                            + " it was you, " + (linked ? "open this link within {hours} hours to confirm it:\n\n{link}"
                            : "use this token within {hours} hours to confirm it:\n\n{token}")
                            + "\n\n" + IGNORE + "nothing changes without it.\n");
            case EMAIL_TAKEN -> MailTemplate.of("Someone tried to use your email address",
                    "Someone signed in to another account asked to move it to this address, which already belongs"
                            + " to your account. Nothing has changed and nothing needs doing.\n\nIf you did this"
                            + " yourself, sign in with this address instead, or choose another one for the other"
                            + " account.\n");
            case EMAIL_CHANGE_REQUESTED -> MailTemplate.of("Someone asked to change your email address",
                    "Someone signed in to your account asked to move it to the address {new_email}. It moves only if"
                            + " the mail sent there is answered within {hours} hours.\n\nIf it was you, nothing needs"
                            + " doing. If it was not you, someone knows your password or holds one of your sessions:"
                            + " reset your password at once, which signs every session out and cancels the change.\n");
            case SIGN_IN_LINK -> MailTemplate.of("Your sign-in link",
                    "Someone asked to sign in to your account with this address.\n"
                            + (linked ? "Open this link within {link_minutes} minutes to sign in:\n\n{link}\n\nOr enter"
                            : "Enter") + " this code within {code_minutes} minutes:\n\n{code}\n\n"
                            + IGNORE + "nobody can sign in without it.\n");
            case SIGN_IN_NO_ACCOUNT -> MailTemplate.of("Sign-in attempt",
                    "Someone asked to sign in with this address, but there is no account for it here.\n"
                            + "If it was you, sign up first" + (linked ? " at {site}" : "") + ".\n"
                            + "If it was not you, ignore this message.\n");
            default -> NoticeText.template(kind);
        };
    }
}
