package io.github.accounts.core.token;

import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Issues and consumes single-use tokens. A new token of a purpose replaces the user's previous one; consuming
 * deletes the row, so a token works once even when two requests race. Thread-safe.
 */
public final class OneTimeTokens {
    /** What a token is for; stored in the {@code purpose} column. */
    public enum Purpose {
        PASSWORD_RESET, EMAIL_VERIFICATION, EMAIL_CHANGE
    }

    private final Tokens tokens;
    private final Clock clock;

    public OneTimeTokens(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A fresh token; its digest is what {@link #store} keeps. Generating without storing costs the same work. */
    public String generate() {
        return tokens.generate();
    }

    /** Stores {@code token} for {@code user}, replacing any earlier token of the same purpose, inside the caller's transaction. */
    public void store(EntityManager em, User user, Purpose purpose, String token, Duration lifetime) {
        store(em, user, purpose, token, lifetime, null);
    }

    /** As {@link #store(EntityManager, User, Purpose, String, Duration)}, for a token that moves to {@code newEmail}. */
    public void store(EntityManager em, User user, Purpose purpose, String token, Duration lifetime, String newEmail) {
        Instant now = clock.instant();
        forget(em, user, purpose);
        em.persist(new OneTimeToken(user.getId(), purpose.name(), Tokens.digest(token), now.plus(lifetime), now,
                newEmail));
    }

    /** Deletes the user's token of {@code purpose}, if any, inside the caller's transaction. */
    public void forget(EntityManager em, User user, Purpose purpose) {
        em.createQuery("delete from OneTimeToken t where t.userId = :u and t.purpose = :p")
                .setParameter("u", user.getId()).setParameter("p", purpose.name()).executeUpdate();
    }

    /**
     * Deletes every token of the user, and their pending sign-in by email (their address changed, or the account is
     * being recovered: what was mailed to the old one stops working).
     */
    public void forgetAll(EntityManager em, User user) {
        em.createQuery("delete from OneTimeToken t where t.userId = :u").setParameter("u", user.getId())
                .executeUpdate();
        em.createNativeQuery("delete from email_sign_ins where user_id = ?").setParameter(1, user.getId())
                .executeUpdate();
    }

    /**
     * Stores {@code token} for the user with {@code normalisedEmail}, if there is one, replacing their earlier token
     * of the purpose; returns whether there was. The same two statements run whether or not the email is known, so
     * the database work, and the time it takes, does not tell them apart.
     */
    public boolean storeForEmail(EntityManager em, String normalisedEmail, Purpose purpose, String token,
                                 Duration lifetime) {
        Instant now = clock.instant();
        em.createNativeQuery("""
                        delete from one_time_tokens where purpose = ?
                        and user_id in (select id from users where email = ?)""")
                .setParameter(1, purpose.name()).setParameter(2, normalisedEmail).executeUpdate();
        return em.createNativeQuery("""
                        insert into one_time_tokens (user_id, purpose, token_digest, expires_at, created_at, updated_at)
                        select id, ?, ?, ?, ?, ? from users where email = ?""")
                .setParameter(1, purpose.name()).setParameter(2, Tokens.digest(token))
                .setParameter(3, now.plus(lifetime)).setParameter(4, now).setParameter(5, now)
                .setParameter(6, normalisedEmail).executeUpdate() == 1;
    }

    /** The user a live token of {@code purpose} belongs to, without using it up. */
    public Optional<User> peek(EntityManager em, Purpose purpose, String token) {
        return find(em, purpose, token).map(Live::user);
    }

    /** The live token of {@code purpose}, with its user, without using it up; one statement reads both. */
    public Optional<Live> find(EntityManager em, Purpose purpose, String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.createQuery("""
                        select t, u from OneTimeToken t join User u on u.id = t.userId
                        where t.tokenDigest = :d and t.purpose = :p and t.expiresAt > :now""", Object[].class)
                .setParameter("d", Tokens.digest(token)).setParameter("p", purpose.name())
                .setParameter("now", clock.instant())
                .getSingleResultOrNull())
                .map(row -> new Live((User) row[1], ((OneTimeToken) row[0]).newEmail()));
    }

    /** A live token as {@link #find} reads it: its user (managed), and the address an email change moves them to. */
    public record Live(User user, String newEmail) {
    }

    /** Uses up a live token; true for exactly one caller, false if it is unknown, expired or already used. */
    public boolean consume(EntityManager em, Purpose purpose, String token) {
        if (!Tokens.plausible(token)) {
            return false;
        }
        return em.createQuery(
                        "delete from OneTimeToken t where t.tokenDigest = :d and t.purpose = :p and t.expiresAt > :now")
                .setParameter("d", Tokens.digest(token)).setParameter("p", purpose.name())
                .setParameter("now", clock.instant()).executeUpdate() == 1;
    }

    /** Deletes up to {@code batch} expired tokens; returns how many. */
    public int purgeExpired(EntityManager em, int batch) {
        var ids = em.createQuery("select t.id from OneTimeToken t where t.expiresAt <= :now", Long.class)
                .setParameter("now", clock.instant()).setMaxResults(batch).getResultList();
        return ids.isEmpty() ? 0 : em.createQuery("delete from OneTimeToken t where t.id in :ids")
                .setParameter("ids", ids).executeUpdate();
    }
}
