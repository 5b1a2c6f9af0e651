package io.github.accounts.core.throttle;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.ThrottleLimits;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Failed-attempt counting with exponential back-off, kept in the database so it holds across restarts and
 * instances. Keys are digests ({@link #accountKey}, {@link #addressKey}), so unknown emails are counted exactly
 * like known ones and the table holds no email address. Increments take a row lock, so none is lost under
 * concurrency. Thread-safe.
 */
public final class SignInThrottle {
    /** The kind of key that counts failed sign-ins (and failed password confirmations). */
    public static final String SIGN_IN = "sign-in";
    private static final int INSERT_ATTEMPTS = 3;

    private final Transactions tx;
    private final ThrottleLimits limits;
    private final Clock clock;

    public SignInThrottle(Transactions tx, ThrottleLimits limits, Clock clock) {
        this.tx = tx;
        this.limits = limits;
        this.clock = clock;
    }

    /** The key of a normalised email, for {@code kind} ("sign-in", "reset", ...). */
    public static String accountKey(String kind, String normalisedEmail) {
        return kind + ":account:" + Tokens.digest(normalisedEmail);
    }

    /** The key of a client address, or null when the address is unknown. */
    public static String addressKey(String kind, String ip) {
        return ip == null ? null : kind + ":address:" + Tokens.digest(ip);
    }

    /** Throws {@code throttled}, with the longest wait, if any of the (non-null) keys is blocked now. */
    public void checkAllowed(String accountKey, String addressKey) {
        Instant now = clock.instant();
        Instant until = blockedUntil(accountKey, addressKey, now);
        if (until != null) {
            throw throttled(now, until);
        }
    }

    /** Whether none of the (non-null) keys is blocked now. */
    public boolean allowed(String accountKey, String addressKey) {
        return blockedUntil(accountKey, addressKey, clock.instant()) == null;
    }

    private Instant blockedUntil(String accountKey, String addressKey, Instant now) {
        List<String> keys = Stream.of(accountKey, addressKey).filter(Objects::nonNull).toList();
        return tx.inTransaction(em -> em.createQuery(
                        "select max(e.blockedUntil) from ThrottleEntry e where e.key in :keys and e.blockedUntil > :now",
                        Instant.class)
                .setParameter("keys", keys).setParameter("now", now).getSingleResult());
    }

    /** Counts one failure against the account key and, if known, the address key. */
    public void recordFailure(String accountKey, String addressKey) {
        count(accountKey, addressKey);
    }

    /**
     * Counts one failed attempt like {@link #recordFailure}, then throws {@code throttled} if a key was already
     * blocked when the failure was counted: attempts that passed {@link #checkAllowed} together, before any of them
     * had failed, get no more "wrong password" answers than the limit allows.
     */
    public void recordFailedAttempt(String accountKey, String addressKey) {
        Instant until = count(accountKey, addressKey);
        Instant now = clock.instant();
        if (until != null && until.isAfter(now)) {
            throw throttled(now, until);
        }
    }

    /** Counts a failure for each key; returns the latest block that was already in force, or null. */
    private Instant count(String accountKey, String addressKey) {
        Instant account = recordFailure(accountKey, limits.accountFailures());
        Instant address = addressKey == null ? null : recordFailure(addressKey, limits.addressFailures());
        return address == null || (account != null && account.isAfter(address)) ? account : address;
    }

    /** Forgets the failures of a key, after a success. */
    public void reset(String key) {
        tx.inTransaction(em -> em.createQuery("delete from ThrottleEntry e where e.key = :k")
                .setParameter("k", key).executeUpdate());
    }

    /** Deletes up to {@code batch} entries whose window and block have both passed; returns how many. */
    public int purge(int batch) {
        return tx.inTransaction(em -> {
            Instant now = clock.instant();
            List<Long> ids = em.createQuery("""
                            select e.id from ThrottleEntry e where e.lastFailureAt <= :windowStart
                            and (e.blockedUntil is null or e.blockedUntil <= :now)""", Long.class)
                    .setParameter("windowStart", now.minus(limits.window())).setParameter("now", now)
                    .setMaxResults(batch).getResultList();
            return ids.isEmpty() ? 0 : em.createQuery("delete from ThrottleEntry e where e.id in :ids")
                    .setParameter("ids", ids).executeUpdate();
        });
    }

    /** Counts one failure for {@code key} under a row lock; returns the block in force before it, or null. */
    private Instant recordFailure(String key, int limit) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.inTransaction(em -> {
                    Instant now = clock.instant();
                    ThrottleEntry e = em.createQuery("select e from ThrottleEntry e where e.key = :k", ThrottleEntry.class)
                            .setParameter("k", key).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                            .getSingleResultOrNull();
                    if (e == null) {
                        e = new ThrottleEntry(key, now);
                        em.persist(e);
                    }
                    Instant before = e.blockedUntil();
                    int count = consecutive(e, now) ? e.failures() + 1 : 1;
                    e.recordFailure(count, blockedUntil(count, limit, now), now);
                    em.flush();
                    return before != null && before.isAfter(now) ? before : null;
                });
            } catch (PersistenceException e) {
                // Two first failures for one key raced to insert; the loser retries and finds the row.
                if (!Transactions.isUniqueViolation(e) || attempt == INSERT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static AccountsException throttled(Instant now, Instant until) {
        long seconds = Math.max(1, Duration.between(now, until).plusMillis(999).getSeconds());
        return AccountsException.retryLater(ErrorCode.THROTTLED,
                "Too many failed attempts; try again in " + seconds + " seconds.", Duration.ofSeconds(seconds));
    }

    /** Whether a failure at {@code now} continues the run of failures in {@code e}. */
    private boolean consecutive(ThrottleEntry e, Instant now) {
        return e.failures() > 0 && now.isBefore(e.lastFailureAt().plus(limits.window()));
    }

    /** The back-off after {@code count} consecutive failures: none below the limit, then doubling up to the cap. */
    Instant blockedUntil(int count, int limit, Instant now) {
        if (count < limit) {
            return null;
        }
        int doublings = Math.min(count - limit, 30);
        Duration backoff = limits.baseBackoff().multipliedBy(1L << doublings);
        return now.plus(backoff.compareTo(limits.maxBackoff()) > 0 ? limits.maxBackoff() : backoff);
    }
}
