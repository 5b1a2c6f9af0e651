package io.github.accounts.core.federation;

import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.internal.Sql;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code user_identities} table: each identity linked to an account, keyed by (issuer, subject) through a unique
 * index, never by email, so one identity belongs to one account at most. Rows go with their user (the foreign key
 * cascades). Every method joins the caller's transaction. Reached from {@code Accounts} only; not API. Thread-safe.
 */
public final class Identities {
    private final Clock clock;

    public Identities(Clock clock) {
        this.clock = clock;
    }

    /** A stored identity's row id and the account it belongs to. */
    public record Owner(long identityId, long userId) {
    }

    /** The account the identity (issuer, subject) is linked to, if any. */
    public Optional<Owner> owner(EntityManager em, String issuer, String subject) {
        return Sql.query(em, "select id, user_id from user_identities where issuer = ? and subject = ?",
                rs -> new Owner(rs.getLong(1), rs.getLong(2)), issuer, subject).stream().findFirst();
    }

    /** Links the identity to {@code userId}; empty when it is linked already (a racing request linked it first). */
    public OptionalLong link(EntityManager em, long userId, String providerId, ProviderIdentity identity) {
        return Jdbc.insertUnlessDuplicate(em, """
                        insert into user_identities (user_id, provider_id, issuer, subject, email, linked_at, last_used_at)
                        values (?, ?, ?, ?, ?, ?, ?)""", userId, providerId, identity.issuer(), identity.subject(),
                identity.normalisedEmail(), clock.instant(), clock.instant());
    }

    /** Records a sign-in with the identity. */
    public void used(EntityManager em, long identityId) {
        Sql.update(em, "update user_identities set last_used_at = ? where id = ?", clock.instant(), identityId);
    }

    /** The user's identities, oldest first. */
    public List<IdentityInfo> list(EntityManager em, long userId) {
        return Sql.query(em, """
                        select id, provider_id, email, linked_at, last_used_at from user_identities
                        where user_id = ? order by id""",
                rs -> new IdentityInfo(rs.getLong(1), rs.getString(2), rs.getString(3), Sql.instant(rs, "linked_at"),
                        Sql.instant(rs, "last_used_at")), userId);
    }

    /** One of the user's identities, if it is theirs. */
    public Optional<IdentityInfo> find(EntityManager em, long userId, long identityId) {
        return list(em, userId).stream().filter(i -> i.id() == identityId).findFirst();
    }

    /** How many identities the user has. */
    public int count(EntityManager em, long userId) {
        return Sql.query(em, "select count(*) from user_identities where user_id = ?", rs -> rs.getInt(1), userId)
                .get(0);
    }

    /** Unlinks one of the user's identities; false if it is not theirs (or gone). */
    public boolean unlink(EntityManager em, long userId, long identityId) {
        return Sql.update(em, "delete from user_identities where id = ? and user_id = ?", identityId, userId) == 1;
    }

    /** Unlinks every identity of the user (a claim of the account); returns how many. */
    public int unlinkAll(EntityManager em, long userId) {
        return Sql.update(em, "delete from user_identities where user_id = ?", userId);
    }
}
