package io.github.accounts.core.password;

import io.github.accounts.core.FieldError;
import io.github.accounts.core.PasswordPolicy;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.resources.Configuration;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a new password against the {@link PasswordPolicy}: length in code points first (so an over-long one
 * costs nothing more), then the context (email local part and names), then nbvcxz's strength estimate, which
 * knows common passwords, dictionary words, keyboard walks and repeats. Thread-safe.
 */
public final class PasswordRules {
    /** Parts of the context shorter than this are too common to forbid ("al", "jo"). */
    private static final int MIN_CONTEXT_LENGTH = 3;
    /** nbvcxz looks at most at this many characters, which bounds its work per request. */
    private static final int ESTIMATE_MAX_CHARS = 128;

    private final PasswordPolicy policy;
    /** Made on first need or by {@link #loadDictionaries()}: loading nbvcxz's dictionaries takes ~0.2 s. */
    private volatile Configuration estimator;

    public PasswordRules(PasswordPolicy policy) {
        this.policy = policy;
    }

    /** Loads the strength estimator's dictionaries now rather than at the first password checked. */
    public void loadDictionaries() {
        estimator();
    }

    /** Two first callers at once may both build one, and either serves. */
    private Configuration estimator() {
        Configuration c = estimator;
        if (c == null) {
            c = new ConfigurationBuilder()
                    .setMinimumEntropy(policy.minEntropyBits())
                    .setMaxLength(ESTIMATE_MAX_CHARS)
                    .createConfiguration();
            estimator = c;
        }
        return c;
    }

    /** Whether a password is within the accepted length at all; checked before any other work. */
    public Optional<FieldError> checkLength(String field, String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of(new FieldError(field, "required", "Password is required."));
        }
        int length = password.codePointCount(0, password.length());
        if (length > policy.maxLength()) {
            return Optional.of(new FieldError(field, "too_long",
                    "Password must be at most " + policy.maxLength() + " characters."));
        }
        if (length < policy.minLength()) {
            return Optional.of(new FieldError(field, "password_too_weak",
                    "Password must be at least " + policy.minLength() + " characters."));
        }
        return Optional.empty();
    }

    /**
     * Checks a password presented to prove who someone is (sign-in, confirmation): present and not over the
     * maximum. Never "too weak": a password set under an older, laxer policy must still be usable.
     */
    public Optional<FieldError> checkPresented(String field, String password) {
        return checkLength(field, password).filter(e -> !e.code().equals("password_too_weak"));
    }

    /** The first rule a new password breaks, as a field error, or empty when it is acceptable. */
    public Optional<FieldError> check(String field, String password, String email, String fname, String lname) {
        Optional<FieldError> length = checkLength(field, password);
        if (length.isPresent()) {
            return length;
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String localPart = email == null ? null : email.substring(0, Math.max(0, email.indexOf('@')));
        for (String part : new String[] {localPart, fname, lname}) {
            if (part != null && part.length() >= MIN_CONTEXT_LENGTH && lower.contains(part.toLowerCase(Locale.ROOT))) {
                return Optional.of(new FieldError(field, "password_too_weak",
                        "Password must not contain your email address or your name."));
            }
        }
        if (!new Nbvcxz(estimator()).estimate(password).isMinimumEntropyMet()) {
            return Optional.of(new FieldError(field, "password_too_weak",
                    "Password is too common or too easy to guess; try a few unrelated words."));
        }
        return Optional.empty();
    }
}
