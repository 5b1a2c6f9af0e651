package io.github.accounts.core.webhook;

import java.util.Locale;

/** Where a delivery stands: still to be sent (or retried), answered with a 2xx, or given up. */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED;

    /** The contract's spelling, e.g. {@code pending}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryStatus of(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
