package io.github.accounts.core.config;

/**
 * What a new password must meet: a length in Unicode code points between {@code minLength} and
 * {@code maxLength}, an estimated strength of at least {@code minEntropyBits} (nbvcxz's estimate, which catches
 * common passwords, dictionary words, keyboard walks and repeats), and not containing the email's local part
 * or the user's names.
 */
public record PasswordPolicy(int minLength, int maxLength, double minEntropyBits) {
    /** The absolute upper bound of {@link #maxLength}, to keep hashing work bounded. */
    public static final int MAX_LENGTH_CEILING = 1024;

    public PasswordPolicy {
        if (minLength < 8) {
            throw new IllegalArgumentException("minLength must be at least 8 (NIST SP 800-63B), was " + minLength);
        }
        if (maxLength < minLength || maxLength > MAX_LENGTH_CEILING) {
            throw new IllegalArgumentException("maxLength must be between minLength and " + MAX_LENGTH_CEILING
                    + ", was " + maxLength);
        }
        if (minEntropyBits < 0) {
            throw new IllegalArgumentException("minEntropyBits must not be negative, was " + minEntropyBits);
        }
    }
}
