package io.github.accounts.core.session;

import io.github.accounts.core.config.SessionLifetimes;

import java.time.Instant;

/**
 * Every lifetime rule of a session in one place: when its session token, its update token and the session as a
 * whole end, at issue and at each refresh.
 */
record Lifetime(Instant expiresAt, Instant refreshExpiresAt, Instant absoluteExpiresAt) {
    /** {@link #sessionTokenValid} in JPQL, over a {@code LoginSession s} and a parameter {@code :now}. */
    static final String SESSION_TOKEN_VALID = "s.expiresAt > :now";
    /**
     * In JPQL over {@code LoginSession s} and {@code :now}: neither the session token ({@link #sessionTokenValid})
     * nor the update token ({@link #refreshable}) works any more, so the row can go.
     */
    static final String UNUSABLE = "(s.absoluteExpiresAt <= :now or (s.refreshExpiresAt <= :now and s.expiresAt <= :now))";

    /** The lifetime of a session signed in at {@code now}. */
    static Lifetime atSignIn(SessionLifetimes rules, Instant now) {
        return extended(rules, now, now.plus(rules.refreshAbsolute()));
    }

    /** The lifetime after a refresh at {@code now}: both tokens renewed, never past the absolute cap. */
    static Lifetime extended(SessionLifetimes rules, Instant now, Instant absoluteExpiresAt) {
        return new Lifetime(earlier(now.plus(rules.sessionToken()), absoluteExpiresAt),
                earlier(now.plus(rules.refreshIdle()), absoluteExpiresAt), absoluteExpiresAt);
    }

    /** Whether the session token still works at {@code now}. */
    static boolean sessionTokenValid(Instant expiresAt, Instant now) {
        return now.isBefore(expiresAt);
    }

    /** Whether the update token may still be used at {@code now}: neither idle too long nor too old. */
    static boolean refreshable(Instant refreshExpiresAt, Instant absoluteExpiresAt, Instant now) {
        return now.isBefore(refreshExpiresAt) && now.isBefore(absoluteExpiresAt);
    }

    /** Whether {@code last_used_at} is stale enough to be worth a write. */
    static boolean lastUsedIsStale(SessionLifetimes rules, Instant lastUsedAt, Instant now) {
        return !now.isBefore(lastUsedAt.plus(rules.lastUsedResolution()));
    }

    /** Whether a rotated update token seen again at {@code now} is still within the racing-tabs grace. */
    static boolean withinRotationGrace(SessionLifetimes rules, Instant rotatedAt, Instant now) {
        return rotatedAt != null && now.isBefore(rotatedAt.plus(rules.rotationGrace()));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
