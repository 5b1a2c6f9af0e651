package io.github.accounts.web.dto;

import java.util.List;

/** The response envelopes of the contract's routes. */
public final class Responses {
    private Responses() {
    }

    /** {@code {"user", "session"}}: sign-up and sign-in. */
    public record SignedInBody(UserBody user, IssuedSessionBody session) {
    }

    /** {@code {"session"}}: refresh. */
    public record SessionEnvelope(IssuedSessionBody session) {
    }

    /** {@code {"user"}}. */
    public record UserEnvelope(UserBody user) {
    }

    /** {@code {"sessions": [...]}}. */
    public record SessionList(List<ListedSessionBody> sessions) {
    }
}
