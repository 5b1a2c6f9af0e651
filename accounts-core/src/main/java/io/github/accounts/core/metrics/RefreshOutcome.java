package io.github.accounts.core.metrics;

import java.util.Locale;

/**
 * The {@code outcome} tag of {@code accounts.refreshes}: a constant's name in lower case. {@link #REFUSED} is an
 * update token that is unknown, expired, malformed or rotated within the grace window; {@link #REUSE_REVOKED} a
 * rotated one presented after it, which revoked its session as stolen. Immutable.
 */
public enum RefreshOutcome {
    ROTATED,
    REFUSED,
    REUSE_REVOKED;

    /** The tag value, e.g. {@code reuse_revoked}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
