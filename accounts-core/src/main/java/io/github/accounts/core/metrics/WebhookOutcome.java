package io.github.accounts.core.metrics;

import java.util.Locale;

/**
 * The {@code outcome} tag of {@code accounts.webhooks.attempts}: a 2xx ({@link #DELIVERED}), anything else with a
 * retry still to come ({@link #RETRY}), or the last attempt's failure ({@link #FAILED}). Immutable.
 */
public enum WebhookOutcome {
    DELIVERED,
    RETRY,
    FAILED;

    /** The tag value, e.g. {@code delivered}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
