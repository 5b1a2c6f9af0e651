package io.github.accounts.core.throttle;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.config.ThrottleLimits.Rate;
import io.github.accounts.core.internal.Jdbc;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Attempt counting kept in the database, so it holds across restarts and instances; every method works inside the
 * caller's transaction. Sign-in attempts are counted <em>before</em> the password is hashed ({@link #reserve}) and
 * taken back on success ({@link #release}), with an exponential back-off past the limit; sign-ups and mails are
 * counted in fixed windows ({@link #rate}). A refused attempt writes nothing. Keys come from {@link ThrottleKeys},
 * so unknown emails are counted exactly like known ones and the table holds no email or address. Counting takes
 * a row lock, so none is lost under concurrency. Thread-safe.
 */
public final class SignInThrottle {
    /** The kind of key that counts sign-ins (and password confirmations). */
    public static final String SIGN_IN = "sign-in";
    /**
     * How often a first failure tries to insert and lock its row. A success resets its row in place, so only the
     * purge deletes rows, and only idle ones: a row we lost the insert race for is there when we lock it, and one
     * the purge took is inserted again by the one retry.
     */
    private static final int INSERT_ATTEMPTS = 2;

    private final ThrottleLimits limits;
    private final Clock clock;

    public SignInThrottle(ThrottleLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * Counts one attempt as a failure against the account key and, if known, the address key, before the work it
     * guards; throws {@code throttled}, writing nothing, if either is blocked. So of any burst at most the limit is
     * judged, and the rest are refused before anything about them is known.
     */
    public void reserve(EntityManager em, String accountKey, String addressKey) {
        Instant now = clock.instant();
        Instant until = blockedUntil(em, now, accountKey, addressKey);
        if (until == null) {
            until = later(count(em, accountKey, limits.accountFailures(), now),
                    addressKey == null ? null : count(em, addressKey, limits.addressFailures(), now));
        }
        if (until != null) {
            throw throttled(now, until, "Too many failed attempts");
        }
    }

    /**
     * Takes back an attempt {@link #reserve reserved} that did not fail: it succeeded, or it was never judged (the
     * hashing bulkhead refused it). A block the attempt itself brought on is lifted; one that stands without it stays.
     */
    public void release(EntityManager em, String accountKey, String addressKey) {
        takeBack(em, accountKey, limits.accountFailures());
        if (addressKey != null) {
            takeBack(em, addressKey, limits.addressFailures());
        }
    }

    /** After a success: the account's failures are forgotten, the attempt counted against the address taken back. */
    public void succeeded(EntityManager em, String accountKey, String addressKey) {
        reset(em, accountKey);
        if (addressKey != null) {
            takeBack(em, addressKey, limits.addressFailures());
        }
    }

    private static void takeBack(EntityManager em, String key, int limit) {
        ThrottleEntry e = find(em, key, LockModeType.PESSIMISTIC_WRITE);
        if (e != null && e.failures() > 0) {
            int count = e.failures() - 1;
            e.recordFailure(count, count < limit ? null : e.blockedUntil(), e.lastFailureAt());
        }
    }

    /**
     * Forgets the failures of an account key, e.g. after a password reset. The row is reset in place, not deleted:
     * a deleted row could vanish under a concurrent first failure between its insert and its lock. The purge takes
     * reset rows.
     */
    public void reset(EntityManager em, String accountKey) {
        ThrottleEntry e = find(em, accountKey, LockModeType.PESSIMISTIC_WRITE);
        if (e != null && (e.failures() > 0 || e.blockedUntil() != null)) {
            e.forget(clock.instant());
        }
    }

    /**
     * Locks the row of {@code accountKey} (inserting an empty one if there is none) until the caller's transaction
     * ends, so that what is written about one account's refused attempts is written by one attempt at a time.
     */
    public void lock(EntityManager em, String accountKey) {
        lockOrInsert(em, accountKey, clock.instant());
    }

    /**
     * Counts one event against {@code key} at most {@code rate.count()} per {@code rate.per()}; over it, throws
     * {@code throttled} with the wait until the window ends, writing nothing.
     */
    public void rate(EntityManager em, String key, Rate rate) {
        Instant now = clock.instant();
        ThrottleEntry seen = find(em, key, LockModeType.NONE);
        if (seen == null || !full(seen, rate, now)) {
            ThrottleEntry e = lockOrInsert(em, key, now);
            if (!full(e, rate, now)) {
                boolean open = e.blockedUntil() != null && now.isBefore(e.blockedUntil());
                e.recordFailure(open ? e.failures() + 1 : 1, open ? e.blockedUntil() : now.plus(rate.per()), now);
                return;
            }
            seen = e;
        }
        throw throttled(now, seen.blockedUntil(), "Too many requests");
    }

    /**
     * Deletes up to {@code batch} entries that count nothing: reset ones (no failures) and those whose window and
     * block have both passed; returns how many. The delete checks again, so a failure counted since the select stays.
     */
    public int purge(EntityManager em, int batch) {
        Instant now = clock.instant();
        String idle = "(e.failures = 0 or e.lastFailureAt <= :windowStart)"
                + " and (e.blockedUntil is null or e.blockedUntil <= :now)";
        List<Long> ids = em.createQuery("select e.id from ThrottleEntry e where " + idle, Long.class)
                .setParameter("windowStart", now.minus(limits.window())).setParameter("now", now)
                .setMaxResults(batch).getResultList();
        return ids.isEmpty() ? 0 : em.createQuery("delete from ThrottleEntry e where e.id in :ids and " + idle)
                .setParameter("ids", ids).setParameter("windowStart", now.minus(limits.window()))
                .setParameter("now", now).executeUpdate();
    }

    /** For a rate row, the block column holds the end of its window. */
    private static boolean full(ThrottleEntry e, Rate rate, Instant now) {
        return e.failures() >= rate.count() && e.blockedUntil() != null && now.isBefore(e.blockedUntil());
    }

    /** The latest block in force now on any of the (non-null) keys, or null; a plain read. */
    private static Instant blockedUntil(EntityManager em, Instant now, String... keys) {
        List<String> present = Stream.of(keys).filter(Objects::nonNull).toList();
        return em.createQuery(
                        "select max(e.blockedUntil) from ThrottleEntry e where e.key in :keys and e.blockedUntil > :now",
                        Instant.class)
                .setParameter("keys", present).setParameter("now", now).getSingleResult();
    }

    /** Counts one failure for {@code key} under a row lock; returns the block a concurrent attempt set, or null. */
    private Instant count(EntityManager em, String key, int limit, Instant now) {
        ThrottleEntry e = lockOrInsert(em, key, now);
        if (e.blockedUntil() != null && e.blockedUntil().isAfter(now)) {
            return e.blockedUntil(); // blocked while we waited for the lock; the caller's rollback undoes the rest
        }
        int count = e.failures() > 0 && now.isBefore(e.lastFailureAt().plus(limits.window())) ? e.failures() + 1 : 1;
        e.recordFailure(count, blockedUntil(count, limit, now), now);
        return null;
    }

    /**
     * The row of {@code key}, locked; a missing one is inserted first. Two first attempts for one key race to
     * insert it: the loser's insert is an ordinary "already there" (see {@link Jdbc}), never a logged error.
     */
    private static ThrottleEntry lockOrInsert(EntityManager em, String key, Instant now) {
        ThrottleEntry e = find(em, key, LockModeType.PESSIMISTIC_WRITE);
        // A row may be gone by the time we lock it (the purge took it while idle): insert it again, once.
        for (int attempt = 0; e == null && attempt < INSERT_ATTEMPTS; attempt++) {
            Jdbc.insertUnlessDuplicate(em, """
                    insert into sign_in_throttle (throttle_key, failures, last_failure_at, created_at, updated_at)
                    values (?, 0, ?, ?, ?)""", key, now, now, now);
            e = find(em, key, LockModeType.PESSIMISTIC_WRITE);
        }
        if (e == null) {
            throw AccountsException.internal(new IllegalStateException("A throttle row vanished twice running"));
        }
        return e;
    }

    private static ThrottleEntry find(EntityManager em, String key, LockModeType lock) {
        return em.createQuery("select e from ThrottleEntry e where e.key = :k", ThrottleEntry.class)
                .setParameter("k", key).setLockMode(lock).getSingleResultOrNull();
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    private static AccountsException throttled(Instant now, Instant until, String what) {
        long seconds = Math.max(1, Duration.between(now, until).plusMillis(999).getSeconds());
        return AccountsException.retryLater(ErrorCode.THROTTLED,
                what + "; try again in " + seconds + " seconds.", Duration.ofSeconds(seconds));
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
