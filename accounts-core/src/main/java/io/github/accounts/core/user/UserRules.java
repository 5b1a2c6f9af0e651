package io.github.accounts.core.user;

import io.github.accounts.core.FieldError;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * The contract's input rules for emails and names. Each check returns the cleaned value or adds a
 * {@link FieldError}; callers collect all errors before refusing, so a client learns everything at once.
 * Besides the contract's rules, both refuse what makes two values look alike or a value look like nothing
 * (format characters such as zero-width and bidi controls, separators other than the space), and an email is
 * compared and stored in NFKC, so {@code ｂob@example.com} is {@code bob@example.com}.
 */
public final class UserRules {
    public static final int MAX_EMAIL = 254;
    public static final int MAX_NAME = 128;

    private UserRules() {
    }

    /** The form an email is stored and compared in: trimmed, NFKC (full-width letters, ligatures), lower-case. */
    public static String normaliseEmail(String email) {
        return email == null ? null
                : Normalizer.normalize(email.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    /** The normalised email, or null after adding an error. */
    public static String email(String raw, List<FieldError> errors) {
        String email = normaliseEmail(raw);
        if (email == null || email.isEmpty()) {
            errors.add(FieldError.required("email"));
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
            errors.add(FieldError.required(field));
            return null;
        }
        // Java chars, not code points: H2 measures VARCHAR(128) in chars, so 128 code points outside the BMP
        // (emoji, rarer CJK) passed this check and then failed the insert there.
        if (name.length() > MAX_NAME) {
            errors.add(new FieldError(field, "too_long", field + " must be at most " + MAX_NAME + " characters."));
            return null;
        }
        if (name.codePoints().anyMatch(c -> isHidden(c) || (isSeparator(c) && c != ' '))) {
            errors.add(new FieldError(field, "invalid", field + " must not contain control, format or invisible"
                    + " characters, nor separators other than the space."));
            return null;
        }
        if (name.codePoints().allMatch(c -> c == ' ' || isMark(c))) { // marks alone draw nothing
            errors.add(new FieldError(field, "invalid", field + " must contain a visible character."));
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
                && email.codePoints().noneMatch(c -> Character.isWhitespace(c) || isHidden(c) || isSeparator(c)
                        || c == '"' || c == '<' || c == '>');
    }

    /** Control, format (zero-width, bidi, soft hyphen), lone surrogate, or drawn as nothing though a letter. */
    private static boolean isHidden(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || isInvisible(c);
    }

    /**
     * Default-ignorable code points outside the format category, which fonts draw as nothing: the Hangul
     * fillers (letters, so a "name" of them passes a letter test), the combining grapheme joiner, the Mongolian
     * free variation selectors and the variation selectors.
     */
    private static boolean isInvisible(int c) {
        return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x034F
                || (c >= 0x17B4 && c <= 0x17B5) || (c >= 0x180B && c <= 0x180F)
                || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
    }

    private static boolean isSeparator(int c) {
        int type = Character.getType(c);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean isMark(int c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }
}
