package io.github.accounts.core.federation;

import java.util.Locale;

/**
 * Who a provider says signed in: the identity's key ({@code issuer}, {@code subject}), the email it gave (null if
 * none) and whether it verified it (only a JSON boolean {@code true} counts; GitHub: its emails API says so), and the
 * names it gave (null if none). Immutable.
 */
public record ProviderIdentity(String issuer, String subject, String email, boolean emailVerified, String givenName,
                               String familyName, String name) {
    private static final int MAX_NAME = 128;

    /** The email, trimmed and lower-cased as accounts stores them; null if there is none. */
    public String normalisedEmail() {
        return email == null || email.isBlank() ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** The first name for a new account: {@code given_name}, else the first word of {@code name}, else the email's. */
    public String fname() {
        if (givenName != null && !clean(givenName).isEmpty()) {
            return clean(givenName);
        }
        String[] parts = clean(name == null ? "" : name).split(" ", 2);
        if (!parts[0].isEmpty()) {
            return parts[0];
        }
        String e = normalisedEmail();
        return e == null ? "-" : clean(e.substring(0, Math.max(1, e.indexOf('@'))));
    }

    /** The last name for a new account: {@code family_name}, else the rest of {@code name}, else {@code -}. */
    public String lname() {
        if (familyName != null && !clean(familyName).isEmpty()) {
            return clean(familyName);
        }
        String[] parts = clean(name == null ? "" : name).split(" ", 2);
        return parts.length == 2 && !parts[1].isBlank() ? parts[1].strip() : "-";
    }

    /** Whitespace collapsed, control characters dropped, at most 128 characters. */
    private static String clean(String s) {
        String c = s.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString().strip().replaceAll("\\s+", " ");
        return c.length() <= MAX_NAME ? c : c.substring(0, MAX_NAME).strip();
    }
}
