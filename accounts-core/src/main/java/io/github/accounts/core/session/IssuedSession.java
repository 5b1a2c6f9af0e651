package io.github.accounts.core.session;

import java.time.Instant;

/**
 * A session as issued: the only time its tokens exist in clear; the store keeps just their SHA-256 digests.
 * {@code expiresAt} ends the session token, {@code refreshExpiresAt} the update token.
 */
public record IssuedSession(long id, String sessionToken, String updateToken, Instant expiresAt,
                            Instant refreshExpiresAt) {
    @Override
    public String toString() {
        return "IssuedSession[id=" + id + ", expiresAt=" + expiresAt + "]";
    }
}
