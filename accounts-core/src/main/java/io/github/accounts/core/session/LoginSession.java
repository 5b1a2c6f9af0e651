package io.github.accounts.core.session;

import io.github.accounts.core.internal.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One signed-in device of a user (named so as not to clash with {@code org.hibernate.Session} or
 * {@code spark.Session}). Holds only SHA-256 digests of its tokens, and its user's id rather than a lazy association,
 * so that accounts' Hibernate needs no proxy classes (and no ByteBuddy) for it. Not thread-safe (an entity).
 */
@Entity
@Table(name = "sessions")
public class LoginSession extends Timestamped {
    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(name = "token_digest", nullable = false, unique = true, length = 64)
    private String tokenDigest;

    @Column(name = "update_digest", nullable = false, unique = true, length = 64)
    private String updateDigest;

    @Column(name = "rotated_at")
    private Instant rotatedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "refresh_expires_at", nullable = false)
    private Instant refreshExpiresAt;

    @Column(name = "absolute_expires_at", nullable = false)
    private Instant absoluteExpiresAt;

    @Column(name = "last_used_at", nullable = false)
    private Instant lastUsedAt;

    @Column(name = "user_agent", length = 512)
    private String userAgent;

    @Column(name = "ip", length = 64)
    private String ip;

    protected LoginSession() {
    }

    LoginSession(long userId, String tokenDigest, String updateDigest, Lifetime lifetime, String userAgent, String ip,
                 Instant now) {
        super(now);
        this.userId = userId;
        this.tokenDigest = tokenDigest;
        this.updateDigest = updateDigest;
        this.expiresAt = lifetime.expiresAt();
        this.refreshExpiresAt = lifetime.refreshExpiresAt();
        this.absoluteExpiresAt = lifetime.absoluteExpiresAt();
        this.lastUsedAt = now;
        this.userAgent = userAgent;
        this.ip = ip;
    }

    Instant getExpiresAt() {
        return expiresAt;
    }

    Instant getRefreshExpiresAt() {
        return refreshExpiresAt;
    }

    Instant getAbsoluteExpiresAt() {
        return absoluteExpiresAt;
    }

    Instant getLastUsedAt() {
        return lastUsedAt;
    }

    Instant getRotatedAt() {
        return rotatedAt;
    }

    SessionInfo toInfo(long currentSessionId) {
        return new SessionInfo(getId(), getCreatedAt(), lastUsedAt, expiresAt, userAgent, ip,
                getId() == currentSessionId);
    }
}
