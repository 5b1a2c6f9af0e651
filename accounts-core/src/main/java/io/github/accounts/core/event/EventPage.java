package io.github.accounts.core.event;

import java.util.List;

/**
 * One page of a user's events, newest first; {@code next} is the {@code before} of the next page, or null. Immutable.
 */
public record EventPage(List<AccountEvent> events, Long next) {
    public EventPage {
        events = List.copyOf(events);
    }
}
