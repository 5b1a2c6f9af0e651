package io.github.accounts.core.session;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.IssuedSession;
import io.github.accounts.core.SessionInfo;
import io.github.accounts.core.SessionLifetimes;
import io.github.accounts.core.UserInfo;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Issues, authenticates, rotates and revokes sessions. Every lookup goes by token digest through a unique
 * index; rotation is a compare-and-set on the update-token digest, so of concurrent refreshes with one token
 * exactly one wins. Thread-safe.
 */
public final class SessionStore {
    private static final Logger log = LoggerFactory.getLogger(SessionStore.class);
    private static final int MAX_USER_AGENT = 512;
    private static final int MAX_IP = 64;

    private final Transactions tx;
    private final Tokens tokens;
    private final SessionLifetimes rules;
    private final Clock clock;

    public SessionStore(Transactions tx, Tokens tokens, SessionLifetimes rules, Clock clock) {
        this.tx = tx;
        this.tokens = tokens;
        this.rules = rules;
        this.clock = clock;
    }

    /** Starts a new session for {@code user} inside the caller's transaction. */
    public IssuedSession issue(EntityManager em, User user, ClientInfo client) {
        Instant now = clock.instant();
        String sessionToken = tokens.generate();
        String updateToken = tokens.generate();
        Lifetime lifetime = Lifetime.atSignIn(rules, now);
        LoginSession session = new LoginSession(user, Tokens.digest(sessionToken), Tokens.digest(updateToken),
                lifetime, cut(client.userAgent(), MAX_USER_AGENT), cut(client.ip(), MAX_IP), now);
        em.persist(session);
        em.flush();
        return new IssuedSession(session.getId(), sessionToken, updateToken, lifetime.expiresAt(),
                lifetime.refreshExpiresAt());
    }

    /** The user and session a session token belongs to; {@code unauthenticated} if unknown or expired. */
    public Authenticated authenticate(String sessionToken) {
        if (!Tokens.plausible(sessionToken)) {
            throw unauthenticated();
        }
        String digest = Tokens.digest(sessionToken);
        SessionAndUser s = tx.read(em -> em.createQuery("""
                        select s.id, s.expiresAt, s.lastUsedAt, u.id, u.email, u.fname, u.lname, u.emailVerifiedAt,
                               u.createdAt, u.updatedAt
                        from LoginSession s join s.user u where s.tokenDigest = :d""", SessionAndUser.class)
                .setParameter("d", digest)
                .getSingleResultOrNull());
        Instant now = clock.instant();
        if (s == null || !Lifetime.sessionTokenValid(s.expiresAt(), now)) {
            throw unauthenticated();
        }
        if (Lifetime.lastUsedIsStale(rules, s.lastUsedAt(), now)) {
            tx.inTransaction(em -> em.createQuery("update LoginSession s set s.lastUsedAt = :now where s.id = :id")
                    .setParameter("now", now).setParameter("id", s.sessionId()).executeUpdate());
        }
        return new Authenticated(s.user(), s.sessionId());
    }

    /**
     * What authenticating reads: one row of plain values rather than two managed entities, outside a transaction,
     * since the hottest path in the library changes nothing it reads (profiled: entity loading, the flush check and
     * the commit were most of its cost; on PostgreSQL the commit is a round trip of its own).
     */
    record SessionAndUser(long sessionId, Instant expiresAt, Instant lastUsedAt, long userId, String email,
                          String fname, String lname, Instant emailVerifiedAt, Instant userCreatedAt,
                          Instant userUpdatedAt) {
        UserInfo user() {
            return new UserInfo(userId, email, fname, lname, emailVerifiedAt != null, userCreatedAt, userUpdatedAt);
        }
    }

    /**
     * Rotates both tokens of the session an update token belongs to. A rotated token seen again within the grace
     * window is refused and changes nothing; after it, the session is revoked as stolen.
     */
    public IssuedSession refresh(String updateToken) {
        if (!Tokens.plausible(updateToken)) {
            throw invalidUpdateToken();
        }
        String oldDigest = Tokens.digest(updateToken);
        // Refusals return null rather than throw, so that a revocation for reuse commits.
        IssuedSession issued = tx.inTransaction(em -> {
            Instant now = clock.instant();
            LoginSession s = em.createQuery("select s from LoginSession s where s.updateDigest = :d", LoginSession.class)
                    .setParameter("d", oldDigest).getSingleResultOrNull();
            if (s == null) {
                revokeIfReused(em, oldDigest, now);
                return null;
            }
            if (!Lifetime.refreshable(s.getRefreshExpiresAt(), s.getAbsoluteExpiresAt(), now)) {
                return null;
            }
            String sessionToken = tokens.generate();
            String newUpdateToken = tokens.generate();
            Lifetime lifetime = Lifetime.extended(rules, now, s.getAbsoluteExpiresAt());
            int won = em.createQuery("""
                            update LoginSession s set s.tokenDigest = :token, s.updateDigest = :update,
                              s.previousUpdateDigest = :old, s.rotatedAt = :now, s.expiresAt = :expires,
                              s.refreshExpiresAt = :refreshExpires, s.lastUsedAt = :now, s.updatedAt = :now
                            where s.id = :id and s.updateDigest = :old""")
                    .setParameter("token", Tokens.digest(sessionToken))
                    .setParameter("update", Tokens.digest(newUpdateToken))
                    .setParameter("old", oldDigest)
                    .setParameter("now", now)
                    .setParameter("expires", lifetime.expiresAt())
                    .setParameter("refreshExpires", lifetime.refreshExpiresAt())
                    .setParameter("id", s.getId())
                    .executeUpdate();
            if (won != 1) {
                return null; // a concurrent refresh with the same token won
            }
            return new IssuedSession(s.getId(), sessionToken, newUpdateToken, lifetime.expiresAt(),
                    lifetime.refreshExpiresAt());
        });
        if (issued == null) {
            throw invalidUpdateToken();
        }
        return issued;
    }

    private void revokeIfReused(EntityManager em, String oldDigest, Instant now) {
        LoginSession rotated = em.createQuery(
                        "select s from LoginSession s where s.previousUpdateDigest = :d", LoginSession.class)
                .setParameter("d", oldDigest).getSingleResultOrNull();
        if (rotated == null || Lifetime.withinRotationGrace(rules, rotated.getRotatedAt(), now)) {
            return;
        }
        log.warn("Session {} revoked: an update token rotated at {} was presented again at {} (possible theft)",
                rotated.getId(), rotated.getRotatedAt(), now);
        em.remove(rotated);
    }

    /** The user's sessions that still work, newest first, with {@code current} marked. */
    public List<SessionInfo> list(long userId, long currentSessionId) {
        return tx.inTransaction(em -> em.createQuery("""
                        select s from LoginSession s where s.user.id = :u and s.expiresAt > :now
                        order by s.createdAt desc, s.id desc""", LoginSession.class)
                .setParameter("u", userId).setParameter("now", clock.instant())
                .getResultList().stream().map(s -> s.toInfo(currentSessionId)).toList());
    }

    /** Revokes one of the user's sessions; another user's session, or none, is {@code not_found}. */
    public void revoke(long userId, long sessionId) {
        int deleted = tx.inTransaction(em -> em.createQuery(
                        "delete from LoginSession s where s.id = :id and s.user.id = :u")
                .setParameter("id", sessionId).setParameter("u", userId).executeUpdate());
        if (deleted == 0) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "You have no such session.");
        }
    }

    /** Revokes every session of the user except {@code keepSessionId} (pass -1 to keep none). */
    public int revokeAllExcept(EntityManager em, long userId, long keepSessionId) {
        return em.createQuery("delete from LoginSession s where s.user.id = :u and s.id <> :keep")
                .setParameter("u", userId).setParameter("keep", keepSessionId).executeUpdate();
    }

    /** Deletes up to {@code batch} sessions that can no longer be used nor refreshed; returns how many. */
    public int purgeExpired(int batch) {
        return tx.inTransaction(em -> {
            Instant now = clock.instant();
            List<Long> ids = em.createQuery("""
                            select s.id from LoginSession s
                            where s.absoluteExpiresAt <= :now or (s.refreshExpiresAt <= :now and s.expiresAt <= :now)""",
                            Long.class)
                    .setParameter("now", now).setMaxResults(batch).getResultList();
            if (ids.isEmpty()) {
                return 0;
            }
            return em.createQuery("delete from LoginSession s where s.id in :ids")
                    .setParameter("ids", ids).executeUpdate();
        });
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static AccountsException unauthenticated() {
        return AccountsException.of(ErrorCode.UNAUTHENTICATED, "Sign in first: the session token is missing, unknown or expired.");
    }

    private static AccountsException invalidUpdateToken() {
        return AccountsException.of(ErrorCode.INVALID_UPDATE_TOKEN, "The update token is unknown, expired or already used.");
    }
}
