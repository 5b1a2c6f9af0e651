package io.github.accounts.core.token;

import io.github.accounts.core.internal.Timestamped;
import io.github.accounts.core.user.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;

/** A single-use token sent by email; only its SHA-256 digest is stored. Not thread-safe (an entity). */
@Entity
@Table(name = "one_time_tokens")
public class OneTimeToken extends Timestamped {
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false)
    private User user;

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

    OneTimeToken(User user, String purpose, String tokenDigest, Instant expiresAt, Instant now, String newEmail) {
        super(now);
        this.user = user;
        this.purpose = purpose;
        this.tokenDigest = tokenDigest;
        this.expiresAt = expiresAt;
        this.newEmail = newEmail;
    }

    public User user() {
        return user;
    }

    public String newEmail() {
        return newEmail;
    }
}
