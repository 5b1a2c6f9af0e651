package io.github.accounts.core.user;

import io.github.accounts.core.FieldError;

import java.util.List;
import java.util.Locale;

/**
 * The contract's input rules for emails and names. Each check returns the cleaned value or adds a
 * {@link FieldError}; callers collect all errors before refusing, so a client learns everything at once.
 */
public final class UserRules {
    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 128;

    private UserRules() {
    }

    /** The form an email is stored and compared in: trimmed, lower-case. */
    public static String normaliseEmail(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** The normalised email, or null after adding an error. */
    public static String email(String raw, List<FieldError> errors) {
        String email = normaliseEmail(raw);
        if (email == null || email.isEmpty()) {
            errors.add(new FieldError("email", "required", "Email is required."));
            return null;
        }
        if (email.length() > MAX_EMAIL) {
            errors.add(new FieldError("email", "too_long", "Email must be at most " + MAX_EMAIL + " characters."));
            return null;
        }
        if (!looksLikeEmail(email)) {
            errors.add(new FieldError("email", "invalid", "Email must look like name@example.com."));
            return null;
        }
        return email;
    }

    /** The trimmed name, or null after adding an error. */
    public static String name(String field, String raw, List<FieldError> errors) {
        String name = raw == null ? null : raw.strip();
        if (name == null || name.isEmpty()) {
            errors.add(new FieldError(field, "required", field + " is required."));
            return null;
        }
        // Java chars, not code points: H2 measures VARCHAR(128) in chars, so 128 code points outside the BMP
        // (emoji, rarer CJK) passed this check and then failed the insert there.
        if (name.length() > MAX_NAME) {
            errors.add(new FieldError(field, "too_long", field + " must be at most " + MAX_NAME + " characters."));
            return null;
        }
        if (name.codePoints().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "invalid", field + " must not contain control characters."));
            return null;
        }
        return name;
    }

    private static boolean looksLikeEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@')) {
            return false;
        }
        String domain = email.substring(at + 1);
        int dot = domain.indexOf('.');
        return dot > 0 && !domain.endsWith(".") && !domain.contains("..")
                && email.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }
}
