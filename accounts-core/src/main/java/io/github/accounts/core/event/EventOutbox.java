package io.github.accounts.core.event;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What an event's own transaction writes besides the event, for work that must happen because of it even if the
 * process dies right after the commit (webhook deliveries). {@link EventLog} calls it on the connection of that
 * transaction, so the rows commit or roll back with the event. Implementations are thread-safe.
 */
public interface EventOutbox {
    /**
     * Writes the work {@code event} causes. A {@code held} event (see {@link EventLog#recordUnpublished}) may still
     * change type or vanish: its work waits until {@link #release}d, or a while, so an outcome never known still goes
     * out in the end.
     */
    void write(Connection connection, AccountEvent event, boolean held) throws SQLException;

    /** Takes back the work of a held event that is about to change type or vanish, unless some of it went out. */
    void withdraw(Connection connection, long eventId) throws SQLException;

    /** Lets the held work of a committed event go out now; false when nothing of its type can be waiting. */
    boolean release(Connection connection, AccountEvent event) throws SQLException;

    /** Whether {@link #release} could find work for an event of {@code type} (a cheap guess; true is always safe). */
    boolean mayHold(String type);
}
