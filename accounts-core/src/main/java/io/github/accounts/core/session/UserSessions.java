package io.github.accounts.core.session;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.SessionLifetimes;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session writes that belong to a larger change and so join the caller's transaction: a new session at sign-up
 * or sign-in, and revoking the others at a password change. Each revocation records a {@code session.revoked}
 * event with its reason. {@link SessionStore} owns its transactions instead. Thread-safe.
 */
public final class UserSessions {
    public static final String SIGN_OUT = "sign_out";
    public static final String REVOKED = "revoked";
    public static final String SIGN_OUT_EVERYWHERE = "sign_out_everywhere";
    public static final String PASSWORD_CHANGED = "password_changed";
    public static final String PASSWORD_RESET = "password_reset";
    public static final String TOKEN_REUSE = "token_reuse";
    public static final String EVICTED = "evicted";
    public static final String ADMIN = "admin";
    public static final String DISABLED = "disabled";
    public static final String ACCOUNT_DELETED = "account_deleted";

    private static final int MAX_USER_AGENT = 512;
    private static final int MAX_IP = 64;

    private final Tokens tokens;
    private final SessionLifetimes rules;
    private final Clock clock;
    private final EventLog events;

    public UserSessions(Tokens tokens, SessionLifetimes rules, Clock clock, EventLog events) {
        this.tokens = tokens;
        this.rules = rules;
        this.clock = clock;
        this.events = events;
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
        LoginSession session = new LoginSession(user.getId(), Tokens.digest(sessionToken), Tokens.digest(updateToken),
                lifetime, cut(client.userAgent(), MAX_USER_AGENT), cut(client.ip(), MAX_IP), now);
        em.persist(session);
        em.flush();
        evictBeyondTheCap(em, user.getId());
        return new IssuedSession(session.getId(), sessionToken, updateToken, lifetime.expiresAt(),
                lifetime.refreshExpiresAt());
    }

    private void evictBeyondTheCap(EntityManager em, long userId) {
        List<Long> evicted = em.createQuery("""
                        select s.id from LoginSession s where s.userId = :u
                        order by s.lastUsedAt desc, s.id desc""", Long.class)
                .setParameter("u", userId).setFirstResult(rules.maxPerUser()).getResultList();
        revoke(em, userId, evicted, EVICTED, Map.of());
    }

    /** Revokes every session of the user except {@code keepSessionId} (pass -1 to keep none), for {@code reason}. */
    public int revokeAllExcept(EntityManager em, long userId, long keepSessionId, String reason,
                               Map<String, Object> detail) {
        List<Long> ids = em.createQuery(
                        "select s.id from LoginSession s where s.userId = :u and s.id <> :keep order by s.id", Long.class)
                .setParameter("u", userId).setParameter("keep", keepSessionId).getResultList();
        return revoke(em, userId, ids, reason, detail);
    }

    /** Revokes those of {@code sessionIds} that belong to the user, for {@code reason}; returns how many. */
    public int revoke(EntityManager em, long userId, List<Long> sessionIds, String reason, Map<String, Object> detail) {
        if (sessionIds.isEmpty()) {
            return 0;
        }
        int deleted = em.createQuery("delete from LoginSession s where s.id in :ids and s.userId = :u")
                .setParameter("ids", sessionIds).setParameter("u", userId).executeUpdate();
        if (deleted > 0) {
            Map<String, Object> withReason = new LinkedHashMap<>(detail);
            withReason.put("reason", reason);
            // the ids were read in this transaction; a concurrent revocation may have taken one, which is harmless
            for (Long id : sessionIds) {
                events.record(em, userId, AccountEvent.SESSION_REVOKED, id, ClientInfo.unknown(), withReason);
            }
        }
        return deleted;
    }

    /** How many sessions of the user besides {@code sessionId} still work, as the user's list of sessions shows. */
    public int countOthers(EntityManager em, long userId, long sessionId) {
        return em.createQuery("select count(s) from LoginSession s where s.userId = :u and s.id <> :me and "
                        + Lifetime.SESSION_TOKEN_VALID, Long.class)
                .setParameter("u", userId).setParameter("me", sessionId).setParameter("now", clock.instant())
                .getSingleResult().intValue();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
