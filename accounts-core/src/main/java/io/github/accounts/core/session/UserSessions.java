package io.github.accounts.core.session;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.IssuedSession;
import io.github.accounts.core.SessionLifetimes;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The session writes that belong to a larger change and so join the caller's transaction: a new session at sign-up
 * or sign-in, and revoking the others at a password change. {@link SessionStore} owns its transactions instead.
 * Thread-safe.
 */
public final class UserSessions {
    private static final int MAX_USER_AGENT = 512;
    private static final int MAX_IP = 64;

    private final Tokens tokens;
    private final SessionLifetimes rules;
    private final Clock clock;

    public UserSessions(Tokens tokens, SessionLifetimes rules, Clock clock) {
        this.tokens = tokens;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Starts a new session for {@code user}; beyond {@link SessionLifetimes#maxPerUser()} the least recently used
     * of their others end.
     */
    public IssuedSession issue(EntityManager em, User user, ClientInfo client) {
        Instant now = clock.instant();
        String sessionToken = tokens.generate();
        String updateToken = tokens.generate();
        Lifetime lifetime = Lifetime.atSignIn(rules, now);
        LoginSession session = new LoginSession(user, Tokens.digest(sessionToken), Tokens.digest(updateToken),
                lifetime, cut(client.userAgent(), MAX_USER_AGENT), cut(client.ip(), MAX_IP), now);
        em.persist(session);
        em.flush();
        evictBeyondTheCap(em, user.getId());
        return new IssuedSession(session.getId(), sessionToken, updateToken, lifetime.expiresAt(),
                lifetime.refreshExpiresAt());
    }

    private void evictBeyondTheCap(EntityManager em, long userId) {
        List<Long> evicted = em.createQuery("""
                        select s.id from LoginSession s where s.user.id = :u
                        order by s.lastUsedAt desc, s.id desc""", Long.class)
                .setParameter("u", userId).setFirstResult(rules.maxPerUser()).getResultList();
        if (!evicted.isEmpty()) {
            em.createQuery("delete from LoginSession s where s.id in :ids").setParameter("ids", evicted).executeUpdate();
        }
    }

    /** Revokes every session of the user except {@code keepSessionId} (pass -1 to keep none). */
    public int revokeAllExcept(EntityManager em, long userId, long keepSessionId) {
        return em.createQuery("delete from LoginSession s where s.user.id = :u and s.id <> :keep")
                .setParameter("u", userId).setParameter("keep", keepSessionId).executeUpdate();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
