package io.github.accounts.core.mfa;

import io.github.accounts.core.internal.Timestamped;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Table;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One unused recovery code of a user, stored only as its keyed digest (see {@link TotpKeys#recoveryDigest}); using
 * it deletes it. A code is ten characters of an alphabet without look-alikes (about 50 bits), shown as
 * {@code xxxxx-xxxxx}. Not thread-safe (an entity).
 */
@Entity
@Table(name = "mfa_recovery_codes")
public class RecoveryCode extends Timestamped {
    /** How many codes a user gets at a time. */
    public static final int PER_SET = 10;
    private static final String ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
    private static final int LENGTH = 10;

    @Column(name = "user_id", nullable = false)
    private long userId;

    @Column(name = "code_digest", nullable = false, unique = true, length = 64)
    private String codeDigest;

    protected RecoveryCode() {
    }

    private RecoveryCode(long userId, String codeDigest, Instant now) {
        super(now);
        this.userId = userId;
        this.codeDigest = codeDigest;
    }

    /** Replaces the user's codes with a new set, returned in clear: the only time they exist so. */
    public static List<String> newSet(EntityManager em, TotpKeys keys, SecureRandom random, long userId,
                                      Instant now) {
        deleteAll(em, userId);
        List<String> codes = new ArrayList<>(PER_SET);
        for (int i = 0; i < PER_SET; i++) {
            StringBuilder code = new StringBuilder(LENGTH + 1);
            for (int j = 0; j < LENGTH; j++) {
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            em.persist(new RecoveryCode(userId, keys.recoveryDigest(userId, code.toString()), now));
            codes.add(code.insert(LENGTH / 2, '-').toString());
        }
        return codes;
    }

    /**
     * Uses up the user's code {@code presented} (case, spaces and hyphens ignored); false when it is not one of
     * theirs, or was used already. The lookup goes by digest through a unique index: no secret is compared in Java.
     */
    public static boolean use(EntityManager em, TotpKeys keys, long userId, String presented) {
        String code = presented.replaceAll("[\\s-]", "").toLowerCase(Locale.ROOT);
        if (code.length() != LENGTH || !code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return false;
        }
        return em.createQuery("delete from RecoveryCode r where r.userId = :u and r.codeDigest in :d")
                .setParameter("u", userId).setParameter("d", keys.recoveryDigests(userId, code))
                .executeUpdate() == 1;
    }

    /** How many unused codes the user has. */
    public static long remaining(EntityManager em, long userId) {
        return em.createQuery("select count(r) from RecoveryCode r where r.userId = :u", Long.class)
                .setParameter("u", userId).getSingleResult();
    }

    public static void deleteAll(EntityManager em, long userId) {
        em.createQuery("delete from RecoveryCode r where r.userId = :u").setParameter("u", userId).executeUpdate();
    }
}
