package io.github.accounts.core.session;

import java.time.Instant;

/** One of a user's active sessions as listed to them; {@code current} marks the one asking. Immutable. */
public record SessionInfo(long id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String userAgent,
                          String ip, boolean current) {
}
