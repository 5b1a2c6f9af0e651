package io.github.accounts.web.dto;

import io.github.accounts.core.SignedIn;

import java.util.List;

/** The response envelopes of the contract's routes. */
public final class Responses {
    private Responses() {
    }

    /** {@code {"user", "session"}}: sign-up and sign-in. */
    public record SignedInBody(UserBody user, SessionBody session) {
        public static SignedInBody of(SignedIn s) {
            return new SignedInBody(UserBody.of(s.user()), IssuedSessionBody.of(s.session()));
        }
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
}
