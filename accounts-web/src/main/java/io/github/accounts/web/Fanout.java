package io.github.accounts.web;

import java.sql.Connection;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * How {@link Realtime} tells the other instances sharing the database what to push to their sockets: short text
 * payloads (an event's id, user, session and type; a host message), published by one instance and received by every
 * other. {@link #postgres} uses PostgreSQL's {@code LISTEN}/{@code NOTIFY}; {@link #singleInstance} is for one
 * instance (H2, tests). A deployment past what {@code NOTIFY} carries implements it over its broker instead, and
 * nothing else changes. Implementations are thread-safe.
 */
public interface Fanout extends AutoCloseable {
    /** The largest payload {@link #publish} must carry, in UTF-8 bytes ({@code NOTIFY} takes just under 8,000). */
    int MAX_PAYLOAD_BYTES = 7_000;

    /**
     * Sends {@code payload} to the other instances, without blocking the caller for long. A payload that cannot be
     * sent yet (the database is away) waits and goes out when it can; should one ever be lost, the receivers must be
     * told ({@link Receiver#resumed}) so that no revocation is missed.
     */
    void publish(String payload);

    /**
     * Starts handing the other instances' payloads to {@code receiver} (its own may come back too: they are
     * recognised and ignored), on a thread of the fan-out's own.
     */
    void start(Receiver receiver);

    /** Stops receiving and releases connections. */
    @Override
    void close();

    /** Where a {@link Fanout} delivers. */
    interface Receiver {
        /** One payload another instance published. */
        void received(String payload);

        /**
         * The channel is back after an outage, or a payload was lost: what was sent meanwhile may not have come, so
         * every socket's session is checked again.
         */
        void resumed();
    }

    /** No other instance: everything is delivered in this process. */
    static Fanout singleInstance() {
        return new Fanout() {
            @Override
            public void publish(String payload) {
            }

            @Override
            public void start(Receiver receiver) {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * PostgreSQL {@code LISTEN}/{@code NOTIFY} on connections {@code connections} opens, outside the host's pool
     * (e.g. {@code () -> DriverManager.getConnection(url, user, password)}): one that listens and one that
     * publishes, each opened again within about a second after an outage. Needs the PostgreSQL JDBC driver.
     */
    static Fanout postgres(Callable<Connection> connections) {
        return new PostgresFanout(Objects.requireNonNull(connections, "null connections"));
    }
}
