package io.github.accounts.core.event;

import io.github.accounts.core.Authenticated;

/**
 * A user's account events as they read them ({@code accounts.events()}); listeners are registered on the builder.
 * Thread-safe.
 */
public interface Events {
    /**
     * The user's events, newest first: up to {@code limit} (1 to 100) older than event id {@code before} (null for
     * the newest); {@code validation_failed} for a limit or cursor out of range.
     */
    EventPage page(Authenticated current, Long before, int limit);

    /** How many events listeners never heard of because they fell behind (their queue was full). */
    long dropped();
}
