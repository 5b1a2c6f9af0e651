package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventPage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one subscription and delivery path of the real-time channel, whatever protocol its clients speak: the
 * authenticated clients by user (at most {@link Realtime.Limits#maxPerUser} each, in the one {@link RealtimeBudget}),
 * the delivery of a user's events and messages to that user's clients only, the close of a client whose session an
 * event revokes, and the sweep that re-checks every client's session. Owns the channel's timer thread. Thread-safe.
 */
final class RealtimeSubscribers {
    /** The contract's {@code detail.reason} of the revocations an account deletion makes. */
    private static final String ACCOUNT_DELETED = "account_deleted";
    /** How far back a re-check looks for the revocation of a client's session. */
    private static final int RECENT_EVENTS = 100;
    private static final Logger log = LoggerFactory.getLogger(RealtimeSubscribers.class);

    private final Accounts accounts;
    private final ObjectMapper json;
    private final Realtime.Limits limits;
    private final Map<Long, Set<RealtimeClient>> byUser = new ConcurrentHashMap<>();
    private final RealtimeBudget budget;
    private final ScheduledThreadPoolExecutor timer;

    RealtimeSubscribers(Accounts accounts, ObjectMapper json, Realtime.Limits limits) {
        this.accounts = accounts;
        this.json = json;
        this.limits = limits;
        this.budget = new RealtimeBudget(limits);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "accounts-realtime");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        long recheck = limits.recheckEvery().toMillis();
        timer.scheduleWithFixedDelay(guarded(this::recheckSessions), recheck, recheck, TimeUnit.MILLISECONDS);
    }

    /** The channel's one timer thread: sweeps, timeouts, pings. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** The places for clients, both protocols' in one budget. */
    RealtimeBudget budget() {
        return budget;
    }

    Realtime.Limits limits() {
        return limits;
    }

    Accounts accounts() {
        return accounts;
    }

    boolean hasUser(long userId) {
        return byUser.containsKey(userId);
    }

    /**
     * Lists an authenticated client for its user's deliveries, its {@code ready} first; a user with the most clients
     * already ends it ({@link RealtimeClient.Ending#USER_FULL}). The client holds an authenticated place already.
     */
    void attach(RealtimeClient client, Authenticated who) {
        client.who = who; // before it is listed: a delivery may reach it at once
        // Listed first, ready queued after: a client that has ready gets every delivery from then on, and a delivery
        // that finds the client listed meanwhile is queued behind ready.
        boolean admitted = client.listThenReady(() -> {
            boolean[] listed = {false};
            byUser.compute(who.userId(), (id, clients) -> {
                Set<RealtimeClient> mine = clients != null ? clients : ConcurrentHashMap.newKeySet();
                if (mine.size() < limits.maxPerUser() && client.isOpen()) {
                    listed[0] = mine.add(client);
                }
                return mine.isEmpty() ? null : mine;
            });
            return listed[0];
        });
        if (!admitted) {
            client.end(RealtimeClient.Ending.USER_FULL);
        }
    }

    /** Forgets a client that closed: its place in the budget, its listing. */
    void detach(RealtimeClient client) {
        budget.release(client);
        Authenticated who = client.who;
        if (who != null) {
            byUser.computeIfPresent(who.userId(), (id, clients) -> {
                clients.remove(client);
                return clients.isEmpty() ? null : clients;
            });
        }
    }

    /** An event of this instance, complete: to each client of its user; the revoked session's client ends. */
    void deliver(AccountEvent event) {
        Set<RealtimeClient> clients = byUser.get(event.userId());
        if (clients == null) {
            return;
        }
        RealtimePush push = RealtimePush.event(json, event);
        boolean revoked = AccountEvent.SESSION_REVOKED.equals(event.type()) && event.sessionId() != null;
        boolean deleted = revoked && ACCOUNT_DELETED.equals(event.detail().get("reason"));
        for (RealtimeClient client : clients) {
            client.push(push);
            if (revoked && client.who.sessionId() == event.sessionId()) {
                client.end(deleted ? RealtimeClient.Ending.DELETED : RealtimeClient.Ending.REVOKED);
            }
        }
    }

    /**
     * Another instance's event: its row read back; a revocation whose row went with its account (deleted) still
     * reaches the clients, as far as the payload tells it.
     */
    void deliverStored(long userId, long eventId, String type, Long sessionId, Instant at) {
        EventPage page = eventsOf(userId, eventId + 1, 1);
        if (page != null && !page.events().isEmpty() && page.events().get(0).id() == eventId) {
            deliver(page.events().get(0));
        } else if (AccountEvent.SESSION_REVOKED.equals(type) && (page == null || !userExists(userId))) {
            deliver(new AccountEvent(eventId, userId, type, at, sessionId, null, null,
                    Map.of("reason", ACCOUNT_DELETED)));
        }
    }

    /** A host message, as its WebSocket text, to each client of the user. */
    void deliver(long userId, String text) {
        Set<RealtimeClient> clients = byUser.get(userId);
        if (clients != null) {
            RealtimePush push = RealtimePush.message(json, text);
            clients.forEach(client -> client.push(push));
        }
    }

    /** Ends the clients whose session no longer works: {@code SESSION_ENDED}, or {@code DELETED} with the account. */
    void recheckSessions() {
        List<RealtimeClient> authenticated = byUser.values().stream().flatMap(Set::stream).toList();
        if (authenticated.isEmpty()) {
            return;
        }
        Set<Long> active = accounts.sessions().active(authenticated.stream().map(c -> c.who.sessionId()).toList());
        Map<Long, Boolean> exists = new HashMap<>();
        for (RealtimeClient client : authenticated) {
            if (!active.contains(client.who.sessionId())) {
                boolean deleted = !exists.computeIfAbsent(client.who.userId(), this::userExists);
                if (!deleted) {
                    sendRevocation(client); // the event may not have come (yet, or during an outage)
                }
                client.end(deleted ? RealtimeClient.Ending.DELETED : RealtimeClient.Ending.SESSION_ENDED);
            }
        }
    }

    /** The client's session's revocation among the user's latest events, sent ahead of the close it explains. */
    private void sendRevocation(RealtimeClient client) {
        EventPage recent = eventsOf(client.who.userId(), null, RECENT_EVENTS);
        for (AccountEvent e : recent == null ? List.<AccountEvent>of() : recent.events()) {
            if (AccountEvent.SESSION_REVOKED.equals(e.type()) && e.sessionId() != null
                    && e.sessionId() == client.who.sessionId()) {
                client.push(RealtimePush.event(json, e));
                return;
            }
        }
    }

    /** The user's events, or null when the user is gone (deleted, its events with it). */
    private EventPage eventsOf(long userId, Long before, int limit) {
        try {
            return accounts.operators().userEvents(userId, before, limit);
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private boolean userExists(long userId) {
        try {
            accounts.operators().user(userId);
            return true;
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    static Runnable guarded(Runnable sweep) {
        return () -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                log.warn("A real-time sweep failed ({}); the next one runs as planned", e.toString());
            }
        };
    }

    /** Stops the timer; the protocols close their own clients. */
    void close() {
        timer.shutdownNow();
    }
}
