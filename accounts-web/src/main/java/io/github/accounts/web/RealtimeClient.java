package io.github.accounts.web;

import io.github.accounts.core.Authenticated;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One client of the real-time channel, whichever protocol it speaks (the plain WebSocket, {@link RealtimeSocket}, or
 * Socket.IO, {@link SocketIoClient}): what the one delivery path ({@link RealtimeSubscribers}) needs of it. Thread-safe.
 */
abstract class RealtimeClient {
    /** Why the server ends a client; each protocol says it its own way (a close code, a disconnect). */
    enum Ending {
        /** Its own session was revoked (its event went first). */
        REVOKED,
        /** Its session no longer works (expired, or revoked while the event was missed). */
        SESSION_ENDED,
        /** The account was deleted. */
        DELETED,
        /** The user has the most clients the instance keeps per user. */
        USER_FULL,
        /** The instance has the most authenticated clients it keeps. */
        SERVER_FULL,
        /** Messages waited unread past the bound. */
        TOO_SLOW,
        /** The server shuts down. */
        SHUTDOWN
    }

    /** The client's address, as {@link ClientAddress} resolves it: what the unauthenticated ones are bounded by. */
    final String address;
    /** Its place in the {@link RealtimeBudget}; guarded by the budget's lock. */
    RealtimeBudget.Slot slot = RealtimeBudget.Slot.NONE;
    /** Who it is authenticated as; null until then. */
    volatile Authenticated who;
    /** Whether the authentication or the auth timeout came first; set once, by whichever it was. */
    private final AtomicBoolean authDecided = new AtomicBoolean();

    RealtimeClient(String address) {
        this.address = address;
    }

    /**
     * True for the first caller only, of an authentication and the auth timeout: the other then does nothing, so an
     * authentication that came in time is answered however long its check takes, and a late one finds the client
     * closing.
     */
    final boolean decideAuthentication() {
        return authDecided.compareAndSet(false, true);
    }

    /** Queues {@code push} for the client; past the bound of waiting messages the client is ended as too slow. */
    abstract void push(RealtimePush push);

    /**
     * Runs {@code list}, which lists the client for deliveries, and if it did, queues the protocol's {@code ready}
     * ahead of any delivery that finds the client listed meanwhile. Whether it was listed.
     */
    abstract boolean listThenReady(BooleanSupplier list);

    /** Ends the client once, as the protocol says {@code why}; it leaves the registries at once. */
    abstract void end(Ending why);

    /** Whether the connection is still open. */
    abstract boolean isOpen();
}
