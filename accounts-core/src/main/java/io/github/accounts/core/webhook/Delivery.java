package io.github.accounts.core.webhook;

import java.time.Instant;
import java.util.Objects;

/**
 * One event's delivery to one webhook: its attempts so far, the last HTTP status (null when none came: a refused
 * connection, a timeout), when it is tried next (null once delivered or failed) and when it was delivered. Immutable.
 */
public record Delivery(long id, long eventId, DeliveryStatus status, int attempts, Integer lastStatusCode,
                       Instant nextAttemptAt, Instant deliveredAt) {
    public Delivery {
        Objects.requireNonNull(status, "null status");
    }
}
