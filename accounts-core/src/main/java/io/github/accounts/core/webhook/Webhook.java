package io.github.accounts.core.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered endpoint: where events of {@code eventTypes} (types, prefixes ending in {@code .*}, or {@code *})
 * are delivered. {@code disabled}: a delivery failed with nothing delivered to it since that delivery was written, so
 * no delivery is written for it until an operator retries a failed one ({@link Webhooks#retry}). Never carries its
 * secret. Immutable.
 */
public record Webhook(long id, String url, List<String> eventTypes, String description, Instant createdAt,
                      boolean disabled) {
    public Webhook {
        Objects.requireNonNull(url, "null url");
        eventTypes = List.copyOf(eventTypes);
        Objects.requireNonNull(createdAt, "null createdAt");
    }
}
