package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.accounts.core.UserPage;
import io.github.accounts.core.event.EventPage;

import java.util.List;

/** The response envelopes of the contract's routes. */
public final class Responses {
    private Responses() {
    }

    /** {@code {"user", "session"}}: sign-up and sign-in. */
    public record SignedInBody(UserBody user, SessionBody session) {
    }

    /** {@code {"session"}}: refresh. */
    public record SessionEnvelope(SessionBody session) {
    }

    /** {@code {"user"}}. */
    public record UserEnvelope(UserBody user) {
    }

    /** {@code {"csrf_token"}}: the cookie session's CSRF token again, e.g. after a page reload. */
    public record CsrfBody(String csrfToken) {
    }

    /** {@code {"sessions": [...]}}. */
    public record SessionList(List<ListedSessionBody> sessions) {
    }

    /** {@code {"events": [...], "next"}}: {@code next} is the {@code before} of the next page, null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EventList(List<EventBody> events, Long next) {
        public static EventList of(EventPage page) {
            return new EventList(page.events().stream().map(EventBody::of).toList(), page.next());
        }
    }

    /** {@code {"user"}} on admin routes. */
    public record ManagedUserEnvelope(ManagedUserBody user) {
    }

    /** {@code {"users": [...], "next"}}: {@code next} is the {@code after} of the next page, null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UserList(List<ManagedUserBody> users, Long next) {
        public static UserList of(UserPage page) {
            return new UserList(page.users().stream().map(ManagedUserBody::of).toList(), page.next());
        }
    }
}
