package io.github.accounts.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How long sessions live. The session token lasts {@code sessionToken} from issue (or from its last refresh);
 * the update token works while the session has been refreshed within {@code refreshIdle} and is younger than
 * {@code refreshAbsolute}. A rotated update token seen again within {@code rotationGrace} is refused quietly;
 * later it is taken as stolen and revokes the session. {@code lastUsedResolution} bounds how often
 * {@code last_used_at} is written.
 */
public record SessionLifetimes(Duration sessionToken, Duration refreshIdle, Duration refreshAbsolute,
                               Duration rotationGrace, Duration lastUsedResolution) {
    public SessionLifetimes {
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
