package io.github.accounts.web.dto;

import io.github.accounts.core.session.IssuedSession;

import java.time.Instant;

/** The contract's Session shape as issued: the only response that carries tokens. */
public record IssuedSessionBody(long id, String sessionToken, String updateToken, Instant expiresAt,
                                Instant refreshExpiresAt) implements SessionBody {
    public static IssuedSessionBody of(IssuedSession s) {
        return new IssuedSessionBody(s.id(), s.sessionToken(), s.updateToken(), s.expiresAt(), s.refreshExpiresAt());
    }

    @Override
    public String toString() {
        return "IssuedSessionBody[id=" + id + "]";
    }
}
