package io.github.accounts.core.metrics;

import java.util.Locale;

/**
 * The {@code method} tag of {@code accounts.sign_ins}: the credential the attempt presented, a constant's name in
 * lower case. A password step is {@link #PASSWORD} whatever follows it; its second step is counted again under the
 * code or passkey it was completed with. Immutable.
 */
public enum SignInMethod {
    PASSWORD,
    /** A passkey sign-in of its own, or a passkey as the second step. */
    PASSKEY,
    TOTP,
    RECOVERY_CODE,
    /** The link of an email sign-in. */
    EMAIL_LINK,
    /** The code of an email sign-in. */
    EMAIL_CODE;

    /** The tag value, e.g. {@code recovery_code}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
