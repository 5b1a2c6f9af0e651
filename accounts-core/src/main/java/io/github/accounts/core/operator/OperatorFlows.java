package io.github.accounts.core.operator;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.event.EventPage;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserRules;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator does to other users' accounts: find them, disable and enable them, sign them out, clear their
 * sign-in back-off. Who is an operator is the host's decision, made before these are called; each action is an
 * account event of the target with {@code detail.actor_user_id}, and an {@code operator.action} event of the operator
 * (both with the operator's address and user agent). An operator cannot disable itself. Thread-safe.
 */
public final class OperatorFlows implements Operators {
    private static final int MAX_REASON = 500;

    private final Transactions tx;
    private final UserSessions sessions;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final EventLog events;
    private final Clock clock;

    public OperatorFlows(FlowContext ctx) {
        this.tx = ctx.tx();
        this.sessions = ctx.sessions();
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.events = ctx.events();
        this.clock = ctx.clock();
    }

    @Override
    public UserPage users(String emailPrefix, Long after, int limit) {
        checkPage("after", after, limit);
        String prefix = emailPrefix == null ? "" : UserRules.normaliseEmail(emailPrefix);
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return tx.read(em -> {
            List<User> found = em.createQuery("""
                            select u from User u where u.email like :p escape '\\' and u.id > :after
                            order by u.id""", User.class)
                    .setParameter("p", pattern).setParameter("after", after == null ? 0L : after)
                    .setMaxResults(limit + 1).getResultList();
            boolean more = found.size() > limit;
            List<User> page = more ? found.subList(0, limit) : found;
            Map<Long, Integer> counts = sessionCounts(em, page.stream().map(User::getId).toList());
            List<ManagedUser> users = page.stream().map(u -> managed(u, counts.getOrDefault(u.getId(), 0))).toList();
            return new UserPage(users, more ? page.get(limit - 1).getId() : null);
        });
    }

    @Override
    public ManagedUser user(long userId) {
        return tx.read(em -> managed(em, find(em, userId)));
    }

    @Override
    public ManagedUser disableUser(Authenticated actor, long userId, String reason, ClientInfo client) {
        ClientInfo.required(client);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > MAX_REASON) {
            throw AccountsException.invalid(List.of(new FieldError("reason", "too_long",
                    "reason must be at most " + MAX_REASON + " characters.")));
        }
        if (actor.userId() == userId) { // the only operator could otherwise lock everyone out, itself included
            throw AccountsException.of(ErrorCode.FORBIDDEN, "Operators cannot disable their own account.");
        }
        return act(actor, userId, client, "disable", why, (em, user) -> {
            user.disable(why, clock.instant());
            Map<String, Object> detail = actorDetail(actor);
            if (why != null) {
                detail.put("reason", why);
            }
            events.record(em, userId, AccountEvent.USER_DISABLED, null, client, detail);
            sessions.revokeAllExcept(em, userId, -1, UserSessions.DISABLED, actorDetail(actor));
        });
    }

    @Override
    public ManagedUser enableUser(Authenticated actor, long userId, ClientInfo client) {
        ClientInfo.required(client);
        return act(actor, userId, client, "enable", null, (em, user) -> {
            user.enable(clock.instant());
            events.record(em, userId, AccountEvent.USER_ENABLED, null, client, actorDetail(actor));
        });
    }

    @Override
    public void signOutUser(Authenticated actor, long userId, ClientInfo client) {
        ClientInfo.required(client);
        act(actor, userId, client, "sign_out", null, (em, user) -> sessions.revokeAllExcept(em, userId, -1,
                UserSessions.ADMIN, actorDetail(actor)));
    }

    @Override
    public void clearSignInThrottle(Authenticated actor, long userId, ClientInfo client) {
        ClientInfo.required(client);
        act(actor, userId, client, "clear_throttle", null, (em, user) -> {
            throttle.reset(em, keys.account(SignInThrottle.SIGN_IN, user.getEmail()));
            events.record(em, userId, AccountEvent.THROTTLE_CLEARED, null, client, actorDetail(actor));
        });
    }

    @Override
    public EventPage userEvents(long userId, Long before, int limit) {
        tx.read(em -> find(em, userId));
        return events.page(userId, before, limit);
    }

    @FunctionalInterface
    private interface Action {
        void apply(EntityManager em, User user);
    }

    /**
     * Runs an action on the target's account and records it, with the operator's device, on the operator's own
     * account too ({@code operator.action}): that record outlives the target's account and its events.
     */
    private ManagedUser act(Authenticated actor, long userId, ClientInfo client, String name, String reason,
                            Action action) {
        return tx.inTransaction(em -> {
            User user = find(em, userId);
            action.apply(em, user);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("action", name);
            detail.put("target_user_id", userId);
            if (reason != null) {
                detail.put("reason", reason);
            }
            events.record(em, actor.userId(), AccountEvent.OPERATOR_ACTION, actor.sessionId(), client, detail);
            em.flush();
            return managed(em, user);
        });
    }

    private static Map<String, Object> actorDetail(Authenticated actor) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("actor_user_id", actor.userId());
        return detail;
    }

    private static User find(EntityManager em, long userId) {
        User user = em.find(User.class, userId);
        if (user == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "There is no such user.");
        }
        return user;
    }

    private ManagedUser managed(EntityManager em, User user) {
        return managed(user, sessionCounts(em, List.of(user.getId())).getOrDefault(user.getId(), 0));
    }

    private static ManagedUser managed(User user, int sessionCount) {
        return new ManagedUser(user.toInfo(), user.getDisabledAt(), user.getDisabledReason(), sessionCount);
    }

    /** How many sessions of each user can still be used or refreshed. */
    private Map<Long, Integer> sessionCounts(EntityManager em, List<Long> userIds) {
        Map<Long, Integer> counts = new HashMap<>();
        if (userIds.isEmpty()) {
            return counts;
        }
        Instant now = clock.instant();
        em.createQuery("""
                        select s.userId, count(s) from LoginSession s where s.userId in :ids
                        and s.absoluteExpiresAt > :now and (s.expiresAt > :now or s.refreshExpiresAt > :now)
                        group by s.userId""", Object[].class)
                .setParameter("ids", userIds).setParameter("now", now).getResultList()
                .forEach(row -> counts.put((Long) row[0], ((Number) row[1]).intValue()));
        return counts;
    }

    static void checkPage(String cursor, Long value, int limit) {
        List<FieldError> errors = new ArrayList<>();
        if (limit < 1 || limit > 100) {
            errors.add(new FieldError("limit", "out_of_range", "limit must be between 1 and 100."));
        }
        if (value != null && value < 0) {
            errors.add(new FieldError(cursor, "out_of_range", cursor + " must not be negative."));
        }
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
    }
}
