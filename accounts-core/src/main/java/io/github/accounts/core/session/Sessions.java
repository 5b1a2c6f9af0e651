package io.github.accounts.core.session;

import io.github.accounts.core.Authenticated;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A user's sessions: checking a session token, rotating a session's tokens, listing and ending sessions
 * ({@code accounts.sessions()}). Thread-safe.
 */
public interface Sessions {
    /** Checks a session token; {@code unauthenticated} when it is missing, unknown, revoked or expired. */
    Authenticated authenticate(String sessionToken);

    /**
     * Rotates both tokens of a session; {@code validation_failed} without a token, {@code invalid_update_token}
     * when the update token no longer works.
     */
    IssuedSession refresh(String updateToken);

    /** Ends the current session. */
    void signOut(Authenticated current);

    /**
     * Ends every session of the user, the current one included, and cancels every pending email change and one-time
     * token of the account.
     */
    void signOutEverywhere(Authenticated current);

    /** The user's active sessions, the current one marked. */
    List<SessionInfo> list(Authenticated current);

    /** Revokes one of the user's sessions; {@code not_found} for an id that is not theirs. */
    void revoke(Authenticated current, long sessionId);

    /**
     * Those of {@code sessionIds} whose session still works (not revoked, not expired, the user not disabled): for
     * long-lived connections such as real-time sockets that re-check the session they were opened with.
     */
    Set<Long> active(Collection<Long> sessionIds);
}
