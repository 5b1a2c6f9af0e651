package io.github.accounts.web.dto;

import io.github.accounts.core.session.SessionInfo;

import java.time.Instant;

/** The contract's Session shape as listed to its owner; {@code current} marks the one asking. */
public record ListedSessionBody(long id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String userAgent,
                                String ip, boolean current) {
    public static ListedSessionBody of(SessionInfo s) {
        return new ListedSessionBody(s.id(), s.createdAt(), s.lastUsedAt(), s.expiresAt(), s.userAgent(), s.ip(),
                s.current());
    }
}
