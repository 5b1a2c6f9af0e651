package io.github.accounts.core.mfa;

import io.github.accounts.core.internal.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A user's TOTP secret, sealed (see {@link TotpKeys}); pending until a first code confirms it. Keeps the last step
 * accepted, so no code works twice. Not thread-safe (an entity).
 */
@Entity
@Table(name = "mfa_totp")
public class TotpCredential extends Timestamped {
    @Column(name = "user_id", nullable = false, unique = true)
    private long userId;

    @Column(name = "key_id", nullable = false, length = 32)
    private String keyId;

    @Column(name = "secret_ciphertext", nullable = false, length = 255)
    private String secretCiphertext;

    @Column(name = "confirmed_at")
    private Instant confirmedAt;

    @Column(name = "last_step")
    private Long lastStep;

    protected TotpCredential() {
    }

    public TotpCredential(long userId, TotpKeys.Sealed sealed, Instant now) {
        super(now);
        this.userId = userId;
        this.keyId = sealed.keyId();
        this.secretCiphertext = sealed.ciphertext();
    }

    /** The user's credential, pending or confirmed, locked for the change the caller is about to make; or null. */
    public static TotpCredential lockedOf(EntityManager em, long userId) {
        return em.createQuery("select c from TotpCredential c where c.userId = :u", TotpCredential.class)
                .setParameter("u", userId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getSingleResultOrNull();
    }

    public TotpKeys.Sealed sealed() {
        return new TotpKeys.Sealed(keyId, secretCiphertext);
    }

    public boolean isConfirmed() {
        return confirmedAt != null;
    }

    public Long lastStep() {
        return lastStep;
    }

    /** Replaces a pending secret with a new one. */
    public void replace(TotpKeys.Sealed sealed, Instant now) {
        reseal(sealed, now);
        lastStep = null;
    }

    /** The same secret under another key. */
    public void reseal(TotpKeys.Sealed sealed, Instant now) {
        this.keyId = sealed.keyId();
        this.secretCiphertext = sealed.ciphertext();
        touch(now);
    }

    /** A code of {@code step} was accepted: it and every earlier step are spent. */
    public void accepted(long step, Instant now) {
        lastStep = step;
        touch(now);
    }

    public void confirm(Instant now) {
        confirmedAt = now;
        touch(now);
    }
}
