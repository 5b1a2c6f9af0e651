package io.github.accounts.web;

import java.util.HashMap;
import java.util.Map;

/**
 * The places an instance has for real-time clients (both protocols'), in two budgets that never mix: authenticated
 * ones up to
 * {@link Realtime.Limits#maxSockets}, and sockets still waiting for their {@code authenticate} message up to
 * {@link Realtime.Limits#maxUnauthenticated} in all and {@link Realtime.Limits#maxUnauthenticatedPerAddress} per
 * client address. So anonymous sockets, however many, never take or push out an authenticated one's place; a socket
 * that authenticates moves from the one budget to the other. Thread-safe.
 */
final class RealtimeBudget {
    /** Where a socket holds its place; changed only under the budget's lock. {@code GONE}: released, for good. */
    enum Slot { NONE, UNAUTHENTICATED, AUTHENTICATED, GONE }

    /** What became of an unauthenticated socket asking for a place. */
    enum Admission { ADMITTED, ADDRESS_FULL, FULL }

    private final Realtime.Limits limits;
    private final Map<String, Integer> unauthenticatedByAddress = new HashMap<>();
    private int unauthenticated;
    private int authenticated;

    RealtimeBudget(Realtime.Limits limits) {
        this.limits = limits;
    }

    synchronized Admission admitUnauthenticated(RealtimeClient socket) {
        if (socket.slot != Slot.NONE) {
            throw new IllegalStateException("A socket asks for an unauthenticated place once, first");
        }
        if (unauthenticated >= limits.maxUnauthenticated()) {
            return Admission.FULL;
        }
        int fromThere = unauthenticatedByAddress.getOrDefault(socket.address, 0);
        if (fromThere >= limits.maxUnauthenticatedPerAddress()) {
            return Admission.ADDRESS_FULL;
        }
        unauthenticatedByAddress.put(socket.address, fromThere + 1);
        unauthenticated++;
        socket.slot = Slot.UNAUTHENTICATED;
        return Admission.ADMITTED;
    }

    /**
     * A place among the authenticated sockets, giving up the socket's unauthenticated one; false (and the socket
     * keeps what it had) when they are all taken or the socket has closed meanwhile.
     */
    synchronized boolean admitAuthenticated(RealtimeClient socket) {
        if (socket.slot == Slot.AUTHENTICATED) {
            return true;
        }
        if (socket.slot == Slot.GONE || authenticated >= limits.maxSockets()) {
            return false;
        }
        if (socket.slot == Slot.UNAUTHENTICATED) {
            giveUpUnauthenticated(socket);
        }
        authenticated++;
        socket.slot = Slot.AUTHENTICATED;
        return true;
    }

    /** Gives up the socket's place, if it has one, for good: it closes. */
    synchronized void release(RealtimeClient socket) {
        if (socket.slot == Slot.UNAUTHENTICATED) {
            giveUpUnauthenticated(socket);
        } else if (socket.slot == Slot.AUTHENTICATED) {
            authenticated--;
        }
        socket.slot = Slot.GONE;
    }

    private void giveUpUnauthenticated(RealtimeClient socket) {
        unauthenticated--;
        unauthenticatedByAddress.computeIfPresent(socket.address, (a, n) -> n > 1 ? n - 1 : null);
    }
}
