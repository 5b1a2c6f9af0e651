package io.github.accounts.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long sessions live. The session token lasts {@code sessionToken} from issue (or from its last refresh);
 * the update token works while the session has been refreshed within {@code refreshIdle} and is younger than
 * {@code refreshAbsolute}. A rotated update token seen again within {@code rotationGrace} is refused quietly;
 * later it is taken as stolen and revokes the session. {@code lastUsedResolution} bounds how often
 * {@code last_used_at} is written. A user has at most {@code maxPerUser} sessions: a new sign-in beyond that ends
 * the least recently used one. Immutable.
 */
public record SessionLifetimes(Duration sessionToken, Duration refreshIdle, Duration refreshAbsolute,
                               Duration rotationGrace, Duration lastUsedResolution, int maxPerUser) {
    /** Sessions per user unless configured: enough for every device, few enough that a list stays small. */
    public static final int DEFAULT_MAX_PER_USER = 100;

    /** The lifetimes with {@value #DEFAULT_MAX_PER_USER} sessions per user at most. */
    public SessionLifetimes(Duration sessionToken, Duration refreshIdle, Duration refreshAbsolute,
                            Duration rotationGrace, Duration lastUsedResolution) {
        this(sessionToken, refreshIdle, refreshAbsolute, rotationGrace, lastUsedResolution, DEFAULT_MAX_PER_USER);
    }

    public SessionLifetimes withMaxPerUser(int value) {
        return new SessionLifetimes(sessionToken, refreshIdle, refreshAbsolute, rotationGrace, lastUsedResolution, value);
    }

    public SessionLifetimes {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("maxPerUser must be at least 1, was " + maxPerUser);
        }
        positive(sessionToken, "sessionToken");
        positive(refreshIdle, "refreshIdle");
        positive(refreshAbsolute, "refreshAbsolute");
        positive(rotationGrace, "rotationGrace");
        positive(lastUsedResolution, "lastUsedResolution");
        if (refreshIdle.compareTo(refreshAbsolute) > 0) {
            throw new IllegalArgumentException("refreshIdle (" + refreshIdle + ") must not exceed refreshAbsolute ("
                    + refreshAbsolute + ")");
        }
    }

    static void positive(Duration d, String name) {
        Objects.requireNonNull(d, "null " + name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
