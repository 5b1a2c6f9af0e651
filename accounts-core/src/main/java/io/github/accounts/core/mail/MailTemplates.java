package io.github.accounts.core.mail;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The host's wording of accounts' mails ({@code AccountsBuilder.mailTemplates}): the {@link MailTemplate} of each
 * {@link Kind} in a locale, or null to keep accounts' own English one. The locale is picked from the request's
 * {@code Accept-Language} among {@link #locales()}; a security notice, which follows an event rather than a request,
 * is written in the first of them. Accounts asks once per kind and locale at build time (to check the placeholders)
 * and again for each mail. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface MailTemplates {
    /** The template of {@code kind} in {@code locale}; null for accounts' own English one. */
    MailTemplate template(Kind kind, Locale locale);

    /**
     * The locales this host writes mails in, its default first; the request's {@code Accept-Language} picks one
     * (a {@code de-CH} request gets {@code de}), and a request that names none of them gets the first. Empty (the
     * default): every mail is asked for in {@link Locale#ROOT}.
     */
    default List<Locale> locales() {
        return List.of();
    }

    /** Accounts' own English wording of {@code kind}, with the link where a page is set ({@code publicUrl}). */
    static MailTemplate english(Kind kind) {
        return EnglishMails.template(kind, true);
    }

    /**
     * What a mail is, with the placeholders its template may use. An action's link opens the host's page (its
     * {@code publicUrl}, or the page set with {@code AccountsBuilder.mailPage}) with the token in the fragment,
     * {@code {page}#<fragment>=<token>}, so it never reaches a server's log; {@code {token}} is the bare token, for
     * a host whose page takes it typed in.
     */
    enum Kind {
        /** Password reset: {@code {link}} ({@code #reset-token=}), {@code {token}}, {@code {minutes}} it lives. */
        RESET_PASSWORD("reset-token", "link", "token", "minutes"),
        /** Email verification: {@code {link}} ({@code #verify-email-token=}), {@code {token}}, {@code {hours}}. */
        VERIFY_EMAIL("verify-email-token", "link", "token", "hours"),
        /**
         * An email change, to the new address: {@code {link}} ({@code #email-change-token=}), {@code {token}},
         * {@code {hours}}, {@code {old_email}} (masked: {@code a***@example.com}).
         */
        CONFIRM_NEW_EMAIL("email-change-token", "link", "token", "hours", "old_email"),
        /** An email change to an address that belongs to another account, to that address: no placeholders. */
        EMAIL_TAKEN(null),
        /** An email change, to the old address at once: {@code {new_email}} (masked), {@code {hours}}. */
        EMAIL_CHANGE_REQUESTED(null, "new_email", "hours"),
        /**
         * Sign-in by email: {@code {link}} ({@code #email-sign-in-token=}) and {@code {link_minutes}}, the code
         * {@code {code}} (shown {@code 123 456}) and {@code {code_minutes}}, {@code {token}}.
         */
        SIGN_IN_LINK("email-sign-in-token", "link", "token", "link_minutes", "code", "code_minutes"),
        /** Sign-in by email asked for an address without an account: {@code {site}} (the public URL). */
        SIGN_IN_NO_ACCOUNT(null, "site"),
        /**
         * Security notice of new sign-ins: {@code {sign_ins}}, one "When: / From:" block per new device (and how
         * many more).
         */
        NOTICE_NEW_SIGN_IN(null, "sign_ins"),
        /** Security notice: {@code {when}} (UTC) and {@code {from}} (device and address, as people read them). */
        NOTICE_PASSWORD_CHANGED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_PASSWORD_RESET(null, "when", "from"),
        /** Security notice to the old address: {@code {when}}, {@code {from}}, {@code {new_email}} (masked). */
        NOTICE_EMAIL_CHANGED(null, "when", "from", "new_email"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_MFA_DISABLED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_PASSKEY_ADDED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_PASSKEY_REMOVED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_MFA_ENABLED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_RECOVERY_CODES_REGENERATED(null, "when", "from"),
        /** Security notice of an operator's action: {@code {when}}. */
        NOTICE_ACCOUNT_DISABLED(null, "when"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_IDENTITY_LINKED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_IDENTITY_UNLINKED(null, "when", "from"),
        /** Security notice, as {@link #NOTICE_PASSWORD_CHANGED}. */
        NOTICE_ACCOUNT_CLAIMED(null, "when", "from");

        private final String fragment;
        private final Set<String> placeholders;

        Kind(String fragment, String... placeholders) {
            this.fragment = fragment;
            this.placeholders = Set.of(placeholders);
        }

        /** The placeholders this kind's template may use. */
        public Set<String> placeholders() {
            return placeholders;
        }

        /** The fragment parameter its link carries the token in ({@code reset-token}); null for a mail without. */
        public String fragment() {
            return fragment;
        }

        /** The notice of {@code type}. */
        public static Kind notice(Notifications.Type type) {
            return valueOf("NOTICE_" + type.name());
        }
    }
}
