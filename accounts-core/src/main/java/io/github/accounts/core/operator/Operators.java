package io.github.accounts.core.operator;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.event.EventPage;

/**
 * What operators do to other users' accounts: find them, disable and enable them, sign them out, clear their sign-in
 * back-off, read their events ({@code Accounts.operators()}). These check nobody's rights: the host decides who is an
 * operator before calling them (accounts-web's {@code AdminRoutes} asks a predicate, a verified email and, where the
 * profile requires one, a second factor). Each action is an event of the target with {@code detail.actor_user_id} and
 * an {@code operator.action} event of the operator's own account, both with the operator's device when given.
 * Thread-safe.
 */
public interface Operators {
    /**
     * The users whose email starts with {@code emailPrefix} (null or empty: all), in id order after {@code after}
     * (null: from the start), up to {@code limit} (1 to 100).
     */
    UserPage users(String emailPrefix, Long after, int limit);

    /** One user as operators see them; {@code not_found} if there is none. */
    ManagedUser user(long userId);

    /**
     * Disables an account for {@code reason} (may be null) and revokes every session of it: its tokens stop working
     * at once, and the right password then gets {@code account_disabled} (a wrong one still
     * {@code invalid_credentials}). An operator's own account is {@code forbidden}: the only operator could lock
     * everyone out.
     */
    ManagedUser disableUser(Authenticated operator, long userId, String reason, ClientInfo client);

    /** {@link #disableUser(Authenticated, long, String, ClientInfo)} from an unknown device. */
    default ManagedUser disableUser(Authenticated operator, long userId, String reason) {
        return disableUser(operator, userId, reason, ClientInfo.unknown());
    }

    /** Lets a disabled account sign in again. */
    ManagedUser enableUser(Authenticated operator, long userId, ClientInfo client);

    /** {@link #enableUser(Authenticated, long, ClientInfo)} from an unknown device. */
    default ManagedUser enableUser(Authenticated operator, long userId) {
        return enableUser(operator, userId, ClientInfo.unknown());
    }

    /** Revokes every session of a user, on an operator's behalf. */
    void signOutUser(Authenticated operator, long userId, ClientInfo client);

    /** {@link #signOutUser(Authenticated, long, ClientInfo)} from an unknown device. */
    default void signOutUser(Authenticated operator, long userId) {
        signOutUser(operator, userId, ClientInfo.unknown());
    }

    /** Clears a user's sign-in back-off (the per-email count), on an operator's behalf. */
    void clearSignInThrottle(Authenticated operator, long userId, ClientInfo client);

    /** {@link #clearSignInThrottle(Authenticated, long, ClientInfo)} from an unknown device. */
    default void clearSignInThrottle(Authenticated operator, long userId) {
        clearSignInThrottle(operator, userId, ClientInfo.unknown());
    }

    /** A user's events, newest first, as {@code accounts.events().page} gives a user their own. */
    EventPage userEvents(long userId, Long before, int limit);
}
