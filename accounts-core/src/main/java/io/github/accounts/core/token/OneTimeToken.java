package io.github.accounts.core.token;

import io.github.accounts.core.internal.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A single-use token sent by email; only its SHA-256 digest is stored, with its user's id rather than a lazy
 * association (no proxy classes, no ByteBuddy). Not thread-safe (an entity).
 */
@Entity
@Table(name = "one_time_tokens")
public class OneTimeToken extends Timestamped {
    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(name = "purpose", nullable = false, length = 32)
    private String purpose;

    @Column(name = "token_digest", nullable = false, unique = true, length = 64)
    private String tokenDigest;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    /** The address an email-change token moves its user to; null for other purposes. */
    @Column(name = "new_email", length = 254)
    private String newEmail;

    protected OneTimeToken() {
    }

    OneTimeToken(long userId, String purpose, String tokenDigest, Instant expiresAt, Instant now, String newEmail) {
        super(now);
        this.userId = userId;
        this.purpose = purpose;
        this.tokenDigest = tokenDigest;
        this.expiresAt = expiresAt;
        this.newEmail = newEmail;
    }

    String newEmail() {
        return newEmail;
    }
}
