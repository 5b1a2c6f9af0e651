package io.github.accounts.core.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * One event's delivery to one webhook: its attempts so far, the last HTTP status (null when none came: a refused
 * connection, a timeout, a certificate that does not name the host), when it is tried next (null once delivered or
 * failed), when it was delivered, and why the last attempt got no status ({@code lastError}, null otherwise).
 * Immutable.
 */
public record Delivery(long id, long eventId, DeliveryStatus status, int attempts, Integer lastStatusCode,
                       Instant nextAttemptAt, Instant deliveredAt, String lastError) {
    public Delivery {
        Objects.requireNonNull(status, "null status");
    }
}
