package io.github.accounts.core.session;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.SessionLifetimes;
import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.metrics.RefreshOutcome;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserInfo;
import jakarta.persistence.EntityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Authenticates, rotates, lists and revokes sessions, each in a transaction of its own ({@link UserSessions} has
 * the writes that join a caller's). Every lookup goes by token digest through a unique index; rotation is a
 * compare-and-set on the update-token digest, so of concurrent refreshes with one token exactly one wins.
 * Thread-safe.
 */
public final class SessionStore implements Sessions {
    private static final Logger log = LoggerFactory.getLogger(SessionStore.class);

    private static final String AUTHENTICATE = """
            select s.id as session_id, s.expires_at, s.last_used_at, u.id as user_id, u.email, u.fname, u.lname,
                   u.email_verified_at, u.created_at, u.updated_at, u.mfa_enabled_at,
                   case when u.password_digest is null then 0 else 1 end as has_password
            from sessions s join users u on u.id = s.user_id
            where s.token_digest = ? and u.disabled_at is null""";

    private final Transactions tx;
    private final Tokens tokens;
    private final SessionLifetimes rules;
    private final Clock clock;
    private final UserSessions writes;
    private final Metrics metrics;
    private final AccountRecovery recovery;

    public SessionStore(Transactions tx, Tokens tokens, SessionLifetimes rules, Clock clock, UserSessions writes,
                        Metrics metrics, AccountRecovery recovery) {
        this.recovery = recovery;
        this.tx = tx;
        this.tokens = tokens;
        this.rules = rules;
        this.clock = clock;
        this.writes = writes;
        this.metrics = metrics;
    }

    @Override
    public Authenticated authenticate(String sessionToken) {
        if (!Tokens.plausible(sessionToken)) {
            throw unauthenticated();
        }
        String digest = Tokens.digest(sessionToken);
        SessionAndUser s = tx.read(em -> Sql.query(em, AUTHENTICATE, SessionAndUser::read, digest)).stream()
                .findFirst().orElse(null);
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
     * the commit were most of its cost; on PostgreSQL the commit is a round trip of its own). Read with plain JDBC:
     * the same query through Hibernate's HQL spent about a quarter of an authenticated request's CPU in Hibernate
     * itself (JFR of {@code GET /users/me}, 2026-12-07).
     */
    record SessionAndUser(long sessionId, Instant expiresAt, Instant lastUsedAt, long userId, String email,
                          String fname, String lname, Instant emailVerifiedAt, Instant userCreatedAt,
                          Instant userUpdatedAt, Instant mfaEnabledAt, boolean hasPassword) {
        static SessionAndUser read(ResultSet rs) throws SQLException {
            return new SessionAndUser(rs.getLong("session_id"), Sql.instant(rs, "expires_at"),
                    Sql.instant(rs, "last_used_at"), rs.getLong("user_id"), rs.getString("email"),
                    rs.getString("fname"), rs.getString("lname"), Sql.instant(rs, "email_verified_at"),
                    Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), Sql.instant(rs, "mfa_enabled_at"),
                    rs.getInt("has_password") == 1);
        }

        UserInfo user() {
            return new UserInfo(userId, email, fname, lname, emailVerifiedAt != null, userCreatedAt, userUpdatedAt,
                    mfaEnabledAt != null, hasPassword);
        }
    }

    /**
     * Rotates both tokens of the session an update token belongs to. A rotated token seen again within the grace
     * window is refused and changes nothing; after it, the session is revoked as stolen.
     */
    @Override
    public IssuedSession refresh(String updateToken) {
        FieldError.requirePresent("update_token", updateToken);
        if (!Tokens.plausible(updateToken)) {
            metrics.refresh(RefreshOutcome.REFUSED);
            throw invalidUpdateToken();
        }
        String oldDigest = Tokens.digest(updateToken);
        // Refusals return rather than throw, so that a revocation for reuse commits.
        Rotation rotation = tx.inTransaction(em -> {
            Instant now = clock.instant();
            LoginSession s = em.createQuery("""
                            select s from LoginSession s join User u on u.id = s.userId
                            where s.updateDigest = :d and u.disabledAt is null""", LoginSession.class)
                    .setParameter("d", oldDigest).getSingleResultOrNull();
            if (s == null) {
                return revokeIfReused(em, oldDigest, now) ? Rotation.REUSE_REVOKED : Rotation.REFUSED;
            }
            if (!Lifetime.refreshable(s.getRefreshExpiresAt(), s.getAbsoluteExpiresAt(), now)) {
                return Rotation.REFUSED;
            }
            String sessionToken = tokens.generate();
            String newUpdateToken = tokens.generate();
            Lifetime lifetime = Lifetime.extended(rules, now, s.getAbsoluteExpiresAt());
            int won = em.createQuery("""
                            update LoginSession s set s.tokenDigest = :token, s.updateDigest = :update,
                              s.rotatedAt = :now, s.expiresAt = :expires,
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
                return Rotation.REFUSED; // a concurrent refresh with the same token won
            }
            em.createNativeQuery("insert into rotated_update_tokens (session_id, digest, rotated_at) values (?, ?, ?)")
                    .setParameter(1, s.getId()).setParameter(2, oldDigest).setParameter(3, now).executeUpdate();
            return new Rotation(new IssuedSession(s.getId(), sessionToken, newUpdateToken, lifetime.expiresAt(),
                    lifetime.refreshExpiresAt()), RefreshOutcome.ROTATED);
        });
        metrics.refresh(rotation.outcome());
        if (rotation.issued() == null) {
            throw invalidUpdateToken();
        }
        return rotation.issued();
    }

    /** What a refresh came to: the new tokens, or none and why not. */
    private record Rotation(IssuedSession issued, RefreshOutcome outcome) {
        static final Rotation REFUSED = new Rotation(null, RefreshOutcome.REFUSED);
        static final Rotation REUSE_REVOKED = new Rotation(null, RefreshOutcome.REUSE_REVOKED);
    }

    /**
     * Every update token a session ever rotated away is kept (purged with the session), so a thief who refreshed
     * twice or more is caught as surely as one who refreshed once. Returns whether it revoked a session.
     */
    private boolean revokeIfReused(EntityManager em, String oldDigest, Instant now) {
        List<?> rows = em.createNativeQuery("select session_id, rotated_at from rotated_update_tokens where digest = ?")
                .setParameter(1, oldDigest).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] rotated = (Object[]) rows.get(0);
        long sessionId = ((Number) rotated[0]).longValue();
        Instant rotatedAt = instant(rotated[1]);
        if (Lifetime.withinRotationGrace(rules, rotatedAt, now)) {
            return false;
        }
        log.warn("Session {} revoked: an update token rotated at {} was presented again at {} (possible theft)",
                sessionId, rotatedAt, now);
        Long userId = em.createQuery("select s.userId from LoginSession s where s.id = :id", Long.class)
                .setParameter("id", sessionId).getSingleResultOrNull();
        if (userId == null) {
            return false;
        }
        writes.revoke(em, userId, List.of(sessionId), UserSessions.TOKEN_REUSE, Map.of());
        return true;
    }

    /** A timestamp as the JDBC driver hands it to a native query (an OffsetDateTime, Timestamp or Instant). */
    static Instant instant(Object value) {
        if (value instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return (Instant) value;
    }

    /** The user's sessions that still work, newest first, the current one marked. */
    @Override
    public List<SessionInfo> list(Authenticated current) {
        return tx.read(em -> em.createQuery("select s from LoginSession s where s.userId = :u and "
                        + Lifetime.SESSION_TOKEN_VALID + " order by s.createdAt desc, s.id desc", LoginSession.class)
                .setParameter("u", current.userId()).setParameter("now", clock.instant())
                .getResultList().stream().map(s -> s.toInfo(current.sessionId())).toList());
    }

    @Override
    public void signOut(Authenticated current) {
        revoke(current.userId(), current.sessionId(), UserSessions.SIGN_OUT);
    }

    @Override
    public void signOutEverywhere(Authenticated current) {
        tx.inTransaction(em -> {
            recovery.endPending(em, User.require(em, current.userId()));
            return writes.revokeAllExcept(em, current.userId(), -1, UserSessions.SIGN_OUT_EVERYWHERE, Map.of());
        });
    }

    @Override
    public void revoke(Authenticated current, long sessionId) {
        revoke(current.userId(), sessionId, UserSessions.REVOKED);
    }

    /**
     * Those of {@code sessionIds} whose session still works (not revoked, not expired, its user not disabled), in
     * one query per thousand ids: what a real-time socket re-checks about the session it was opened with, since its
     * token may have been rotated by a refresh meanwhile.
     */
    @Override
    public Set<Long> active(Collection<Long> sessionIds) {
        List<Long> ids = List.copyOf(Objects.requireNonNull(sessionIds, "null sessionIds"));
        Set<Long> active = new HashSet<>();
        for (int from = 0; from < ids.size(); from += 1_000) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 1_000));
            active.addAll(tx.read(em -> em.createQuery("select s.id from LoginSession s join User u on u.id = s.userId"
                            + " where s.id in :ids and " + Lifetime.SESSION_TOKEN_VALID + " and u.disabledAt is null",
                            Long.class)
                    .setParameter("ids", chunk).setParameter("now", clock.instant()).getResultList()));
        }
        return active;
    }

    /**
     * Revokes one of the user's sessions for {@code reason} (a {@link UserSessions} constant); another user's
     * session, or none, is {@code not_found}.
     */
    private void revoke(long userId, long sessionId, String reason) {
        int deleted = tx.inTransaction(em -> writes.revoke(em, userId, List.of(sessionId), reason, Map.of()));
        if (deleted == 0) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "You have no such session.");
        }
    }

    /** How many sessions have a session token that still works, for the metrics' gauge; one count query. */
    public long countActive() {
        return tx.read(em -> em.createQuery("select count(s) from LoginSession s where " + Lifetime.SESSION_TOKEN_VALID,
                Long.class).setParameter("now", clock.instant()).getSingleResult());
    }

    /** Deletes up to {@code batch} sessions that can no longer be used nor refreshed; returns how many. */
    public int purgeExpired(int batch) {
        return tx.inTransaction(em -> {
            Instant now = clock.instant();
            List<Long> ids = em.createQuery("select s.id from LoginSession s where " + Lifetime.UNUSABLE, Long.class)
                    .setParameter("now", now).setMaxResults(batch).getResultList();
            if (ids.isEmpty()) {
                return 0;
            }
            return em.createQuery("delete from LoginSession s where s.id in :ids")
                    .setParameter("ids", ids).executeUpdate();
        });
    }

    private static AccountsException unauthenticated() {
        return AccountsException.of(ErrorCode.UNAUTHENTICATED, "Sign in first: the session token is missing, unknown or expired.");
    }

    private static AccountsException invalidUpdateToken() {
        return AccountsException.of(ErrorCode.INVALID_UPDATE_TOKEN, "The update token is unknown, expired or already used.");
    }
}
