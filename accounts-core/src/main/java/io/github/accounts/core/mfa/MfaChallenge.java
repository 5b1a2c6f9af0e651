package io.github.accounts.core.mfa;

import io.github.accounts.core.internal.Timestamped;
import io.github.accounts.core.internal.Tokens;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The second step of a sign-in whose password was right: the {@code mfa_token}'s SHA-256 digest, its expiry, and
 * the wrong codes it has seen. Single use. Not thread-safe (an entity).
 */
@Entity
@Table(name = "mfa_challenges")
public class MfaChallenge extends Timestamped {
    /** How long a second step may take. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    /** The wrong codes after which an {@code mfa_token} stops working. */
    public static final int MAX_FAILURES = 5;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(name = "token_digest", nullable = false, unique = true, length = 64)
    private String tokenDigest;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "failures", nullable = false)
    private int failures;

    /** The sign-in's first factor ({@code password}, {@code email_link}...); null for a step from before. */
    @Column(name = "first_method", length = 16)
    private String firstMethod;

    protected MfaChallenge() {
    }

    public MfaChallenge(long userId, String tokenDigest, Instant now) {
        super(now);
        this.userId = userId;
        this.tokenDigest = tokenDigest;
        this.expiresAt = now.plus(LIFETIME);
    }

    /** A second step after the first factor {@code firstMethod} ({@code password}, {@code email_link}...). */
    public MfaChallenge(long userId, String tokenDigest, Instant now, String firstMethod) {
        this(userId, tokenDigest, now);
        this.firstMethod = firstMethod;
    }

    /** The live challenge of {@code mfaToken}, locked, so that concurrent attempts take turns; or null. */
    public static MfaChallenge liveLocked(EntityManager em, String mfaToken, Instant now) {
        if (!Tokens.plausible(mfaToken)) {
            return null;
        }
        MfaChallenge c = em.createQuery("select c from MfaChallenge c where c.tokenDigest = :d", MfaChallenge.class)
                .setParameter("d", Tokens.digest(mfaToken)).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getSingleResultOrNull();
        return c == null || !now.isBefore(c.expiresAt) || c.failures >= MAX_FAILURES ? null : c;
    }

    public long userId() {
        return userId;
    }

    /** The sign-in's first factor; null for a step begun before it was kept. */
    public String firstMethod() {
        return firstMethod;
    }

    /** Whether completing this step proves the account's inbox (its first factor was an email sign-in). */
    public boolean provesInbox() {
        return "email_link".equals(firstMethod) || "email_code".equals(firstMethod);
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Counts a wrong code; the challenge is gone once it has seen {@link #MAX_FAILURES}. */
    public void failed(EntityManager em, Instant now) {
        failures++;
        touch(now);
        if (failures >= MAX_FAILURES) {
            em.remove(this);
        }
    }

    /** Deletes up to {@code batch} expired challenges; returns how many. */
    public static int purgeExpired(EntityManager em, Instant now, int batch) {
        List<Long> ids = em.createQuery("select c.id from MfaChallenge c where c.expiresAt <= :now", Long.class)
                .setParameter("now", now).setMaxResults(batch).getResultList();
        return ids.isEmpty() ? 0 : em.createQuery("delete from MfaChallenge c where c.id in :ids")
                .setParameter("ids", ids).executeUpdate();
    }
}
