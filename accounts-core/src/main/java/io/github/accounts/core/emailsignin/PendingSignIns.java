package io.github.accounts.core.emailsignin;

import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The {@code email_sign_ins} table: one pending sign-in per account, the token's and the code's digests with their
 * expiries and the wrong codes counted. Every method runs in the caller's transaction. Thread-safe (stateless).
 */
final class PendingSignIns {
    /** Wrong codes after which a code is dead. */
    static final int MAX_CODE_FAILURES = 5;

    /** What a request found under an address: no account, a live one, or a disabled one. */
    enum Account {
        UNKNOWN, ACTIVE, DISABLED
    }

    /** A pending sign-in as a code confirmation reads it, locked. */
    record Pending(long userId, String codeDigest) {
    }

    /** An account as a request finds it; {@code userId} 0 for none. */
    record Found(Account account, long userId) {
    }

    /** Who {@code email} belongs to; one statement, whatever the answer. */
    Found account(EntityManager em, String email) {
        List<?> rows = em.createNativeQuery("select id, disabled_at from users where email = ?")
                .setParameter(1, email).getResultList();
        if (rows.isEmpty()) {
            return new Found(Account.UNKNOWN, 0);
        }
        Object[] row = (Object[]) rows.get(0);
        return new Found(row[1] == null ? Account.ACTIVE : Account.DISABLED, ((Number) row[0]).longValue());
    }

    /**
     * Replaces the pending sign-in of the active account of {@code email}, if there is one; the same two statements
     * run whether there is or not. Returns whether one was stored.
     */
    boolean replace(EntityManager em, String email, String tokenDigest, String codeDigest, Instant tokenExpiresAt,
                    Instant codeExpiresAt, Instant now) {
        em.createNativeQuery("delete from email_sign_ins where user_id in (select id from users where email = ?)")
                .setParameter(1, email).executeUpdate();
        return em.createNativeQuery("""
                        insert into email_sign_ins (user_id, token_digest, code_digest, token_expires_at,
                        code_expires_at, code_failures, created_at)
                        select id, ?, ?, ?, ?, 0, ? from users where email = ? and disabled_at is null""")
                .setParameter(1, tokenDigest).setParameter(2, codeDigest).setParameter(3, utc(tokenExpiresAt))
                .setParameter(4, utc(codeExpiresAt)).setParameter(5, utc(now)).setParameter(6, email)
                .executeUpdate() == 1;
    }

    /** The user whose live link token has {@code tokenDigest}, its row locked; null if none. */
    Long byToken(EntityManager em, String tokenDigest, Instant now) {
        List<?> rows = em.createNativeQuery(
                        "select user_id from email_sign_ins where token_digest = ? and token_expires_at > ? for update")
                .setParameter(1, tokenDigest).setParameter(2, utc(now)).getResultList();
        return rows.isEmpty() ? null : ((Number) rows.get(0)).longValue();
    }

    /** The live code (not expired, not dead) of the account of {@code email}, its row locked; null if none. */
    Pending byEmail(EntityManager em, String email, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        select user_id, code_digest from email_sign_ins
                        where user_id = (select id from users where email = ?) and code_expires_at > ?
                        and code_failures < ? for update""")
                .setParameter(1, email).setParameter(2, utc(now)).setParameter(3, MAX_CODE_FAILURES).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] row = (Object[]) rows.get(0);
        return new Pending(((Number) row[0]).longValue(), (String) row[1]);
    }

    /** Counts a wrong code. */
    void codeFailed(EntityManager em, long userId) {
        em.createNativeQuery("update email_sign_ins set code_failures = code_failures + 1 where user_id = ?")
                .setParameter(1, userId).executeUpdate();
    }

    /** Spends the pending sign-in: its link and its code alike. */
    void remove(EntityManager em, long userId) {
        em.createNativeQuery("delete from email_sign_ins where user_id = ?").setParameter(1, userId).executeUpdate();
    }

    /** Deletes up to {@code batch} sign-ins whose link expired (the code expires before it); returns how many. */
    int purgeExpired(EntityManager em, Instant now, int batch) {
        List<?> ids = em.createNativeQuery("select user_id from email_sign_ins where token_expires_at <= ?")
                .setParameter(1, utc(now)).setMaxResults(batch).getResultList();
        int deleted = 0;
        for (Object id : ids) {
            deleted += em.createNativeQuery("delete from email_sign_ins where user_id = ? and token_expires_at <= ?")
                    .setParameter(1, ((Number) id).longValue()).setParameter(2, utc(now)).executeUpdate();
        }
        return deleted;
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
