package io.github.accounts.core.password;

import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.PasswordPolicy;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.resources.Configuration;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.scoring.Result;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a new password against the {@link PasswordPolicy}: length in code points first (so an over-long one
 * costs nothing more), then the context (email local part and names) over the whole password, then nbvcxz's
 * strength estimate of its first {@value #ESTIMATE_MAX_CHARS} characters, which knows common passwords,
 * dictionary words, keyboard walks and repeats. Thread-safe.
 */
public final class PasswordRules {
    /** Parts of the context shorter than this are too common to forbid ("al", "jo"). */
    private static final int MIN_CONTEXT_LENGTH = 3;
    /**
     * nbvcxz estimates at most this many characters (Java chars). Its dictionary matcher tries up to ~100 leet
     * readings of every substring shorter than its longest word (28), so its work grows with the window: at 128
     * a crafted leet-dense password ("!1|x" repeated) cost several Argon2id hashes of CPU, at 24 it costs less
     * than one. A prefix is the stricter test (it has to reach the entropy on its own), and the context rule
     * still reads the whole password.
     */
    static final int ESTIMATE_MAX_CHARS = 24;
    /**
     * The budget in ms of nbvcxz's search for the weakest reading (its default, 500, is what a 48-character
     * password cost per request). Within a 24-character window the passwords people choose finish in 0.3-6 ms once
     * compiled (so {@link #loadDictionaries()} runs it); one that runs out falls back to nbvcxz's greedy reading.
     */
    static final long SEARCH_TIMEOUT_MILLIS = 10;

    private final PasswordPolicy policy;
    /** Made on first need or by {@link #loadDictionaries()}: loading nbvcxz's dictionaries takes ~0.2 s. */
    private volatile Configuration estimator;
    /** How many passwords the strength estimate has judged: the costly part (~3 ms), which only valid input reaches. */
    private final AtomicLong estimates = new AtomicLong();

    public PasswordRules(PasswordPolicy policy) {
        this.policy = policy;
    }

    /**
     * Loads the strength estimator's dictionaries now rather than at the first password checked, and runs its
     * search a few times so that the first patterned passwords are not judged by code the JIT has not compiled.
     */
    public void loadDictionaries() {
        for (int i = 0; i < 20; i++) {
            estimate("letmein".repeat(4));
        }
    }

    /** Two first callers at once may both build one, and either serves. */
    Configuration estimatorConfiguration() {
        Configuration c = estimator;
        if (c == null) {
            c = new ConfigurationBuilder()
                    .setMinimumEntropy(policy.minEntropyBits())
                    .setMaxLength(ESTIMATE_MAX_CHARS)
                    .setCombinationAlgorithmTimeout(SEARCH_TIMEOUT_MILLIS)
                    .createConfiguration();
            estimator = c;
        }
        return c;
    }

    /** Whether a password is within the accepted length at all; checked before any other work. */
    public Optional<FieldError> checkLength(String field, String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of(FieldError.required(field));
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
        if (!estimate(password).isMinimumEntropyMet()) {
            return Optional.of(new FieldError(field, "password_too_weak",
                    "Password is too common or too easy to guess; try a few unrelated words."));
        }
        return Optional.empty();
    }

    /** How many strength estimates have run since start (warm-up included), for tests of what reaches them. */
    public long estimates() {
        return estimates.get();
    }

    /** nbvcxz's estimate of the password's first {@value #ESTIMATE_MAX_CHARS} characters. */
    Result estimate(String password) {
        estimates.incrementAndGet();
        return new Nbvcxz(estimatorConfiguration()).estimate(password);
    }
}
