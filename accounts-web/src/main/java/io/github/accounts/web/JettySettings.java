package io.github.accounts.web;

import spark.Service;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;

import java.net.BindException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the Jetty beneath a host's Spark {@link Service} needs to serve the accounts contract safely, applied with
 * {@link #applyTo(Service)} before the host maps any route:
 * <ul>
 * <li>a short idle timeout for I/O while a request is handled ({@link #requestIdleTimeout}, default 5 s) and a
 * minimum rate for request bodies ({@link #minRequestDataRate}, default 500 bytes/s), so a body that stalls or
 * drips is cut off within seconds instead of holding a request thread (Spark's own idle timeout is an hour);</li>
 * <li>idle connections between requests closed after {@link #CONNECTION_IDLE_TIMEOUT}, and a request head (line
 * and headers) that has not fully arrived within {@link #requestHeadTimeout} (default 30 s) closed however slowly
 * it drips;</li>
 * <li>{@code TRACE} and {@code TRACK} refused with 405 on every path, so no answer ever echoes a request's
 * {@code Cookie} or {@code Authorization};</li>
 * <li>Jetty's own error answers (a malformed request line, a bad escape, too long a URI or too large headers, a
 * body that timed out) as the contract's problem JSON under the {@link #problemJsonUnder prefixes} given, and
 * without a stack trace elsewhere; errors found while parsing, before Jetty knows the path, are problem JSON
 * everywhere. They carry {@code Cache-Control: no-store} and the host's {@link #securityHeaders};</li>
 * <li>no {@code Server} header;</li>
 * <li>a graceful stop: {@code Service.stop()} closes the listening socket, then waits up to
 * {@link #STOP_TIMEOUT} for requests in flight to finish.</li>
 * </ul>
 * <pre>{@code
 * Service http = Service.ignite().port(8080);
 * JettySettings.defaults().problemJsonUnder("/accounts").applyTo(http);
 * AccountsRoutes.builder(accounts).build().mount(http, "/accounts");
 * }</pre>
 * Spark keeps server factories in a static registry; this class is the one place in accounts that touches it,
 * keyed by the settings' value, so equal settings share one entry. Immutable and thread-safe.
 */
public final class JettySettings {
    /** How long a connection may sit idle between requests, or while a request's headers arrive. */
    public static final Duration CONNECTION_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stop waits for requests in flight; a hashing request takes well under a second. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Duration requestIdleTimeout;
    private final long minRequestDataRate;
    private final List<String> problemPrefixes;
    private final Map<String, String> securityHeaders;
    private final Duration requestHeadTimeout;

    private JettySettings(Duration requestIdleTimeout, long minRequestDataRate, List<String> problemPrefixes,
                          Map<String, String> securityHeaders, Duration requestHeadTimeout) {
        this.requestIdleTimeout = requestIdleTimeout;
        this.minRequestDataRate = minRequestDataRate;
        this.problemPrefixes = problemPrefixes;
        this.securityHeaders = securityHeaders;
        this.requestHeadTimeout = requestHeadTimeout;
    }

    /**
     * 5 s of request I/O idleness, at least 500 bytes/s of body, 30 s for a request's head, no problem prefixes, no
     * extra headers.
     */
    public static JettySettings defaults() {
        return new JettySettings(Duration.ofSeconds(5), 500, List.of(), Map.of(), CONNECTION_IDLE_TIMEOUT);
    }

    /**
     * How long a read of the request body (or a write of the answer) may wait for the client before the request
     * fails; whole seconds, 1 to {@link #CONNECTION_IDLE_TIMEOUT}.
     */
    public JettySettings requestIdleTimeout(Duration value) {
        Objects.requireNonNull(value, "null requestIdleTimeout");
        if (value.toMillis() < 1_000 || value.compareTo(CONNECTION_IDLE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("The request idle timeout must be between 1 s and "
                    + CONNECTION_IDLE_TIMEOUT.toSeconds() + " s, was " + value);
        }
        return new JettySettings(value, minRequestDataRate, problemPrefixes, securityHeaders, requestHeadTimeout);
    }

    /**
     * How long a request's line and headers may take to arrive, from their first byte; a connection whose request
     * head is still incomplete then is closed, however steadily it drips (default 30 s). Whole seconds, 1 to
     * {@link #CONNECTION_IDLE_TIMEOUT}.
     */
    public JettySettings requestHeadTimeout(Duration value) {
        Objects.requireNonNull(value, "null requestHeadTimeout");
        if (value.toMillis() < 1_000 || value.compareTo(CONNECTION_IDLE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("The request head timeout must be between 1 s and "
                    + CONNECTION_IDLE_TIMEOUT.toSeconds() + " s, was " + value);
        }
        return new JettySettings(requestIdleTimeout, minRequestDataRate, problemPrefixes, securityHeaders, value);
    }

    /**
     * The slowest a request body may arrive, in bytes per second since its first byte; slower bodies are refused
     * with 408. Apache httpd's {@code mod_reqtimeout} uses 500 by default. At least 1.
     */
    public JettySettings minRequestDataRate(long bytesPerSecond) {
        if (bytesPerSecond < 1) {
            throw new IllegalArgumentException("The minimum request data rate must be at least 1 byte/s, was "
                    + bytesPerSecond);
        }
        return new JettySettings(requestIdleTimeout, bytesPerSecond, problemPrefixes, securityHeaders,
                requestHeadTimeout);
    }

    /** The path prefixes (e.g. the accounts mount's {@code /accounts}) where Jetty's own errors are problem JSON. */
    public JettySettings problemJsonUnder(String... prefixes) {
        List<String> list = List.copyOf(Arrays.asList(prefixes));
        for (String prefix : list) {
            if (!prefix.startsWith("/") || prefix.endsWith("/")) {
                throw new IllegalArgumentException("A prefix must start with '/' and not end with it, was '"
                        + prefix + "'");
            }
        }
        return new JettySettings(requestIdleTimeout, minRequestDataRate, list, securityHeaders, requestHeadTimeout);
    }

    /**
     * Headers the host sends on every answer (e.g. {@code X-Content-Type-Options}, a
     * {@code Content-Security-Policy}), added to the error answers Jetty makes itself, which no Spark filter sees.
     */
    public JettySettings securityHeaders(Map<String, String> headers) {
        Map<String, String> sorted = new TreeMap<>(headers); // a stable order: equal settings, equal registry keys
        return new JettySettings(requestIdleTimeout, minRequestDataRate, problemPrefixes,
                Collections.unmodifiableMap(sorted), requestHeadTimeout);
    }

    /** Makes {@code http} run on a Jetty with these settings; call it before mapping any route. */
    public void applyTo(Service http) {
        Objects.requireNonNull(http, "null http");
        EmbeddedServers.add(this, new EmbeddedJettyFactory(new HardenedJetty(this)));
        http.embeddedServerIdentifier(this);
    }

    /**
     * Starts {@code http} the safe way round and waits until it listens; returns its port. It applies these settings
     * ({@link #applyTo}), mounts {@code routes} (the host's {@code AccountsRoutes.mount} and its own), and starts
     * the server. A port it cannot take fails here, as a {@link CannotListenException} whose one-line message names
     * the address and the cause ({@code Cannot listen on 127.0.0.1:5000: the port is already in use}) rather than
     * Spark's "ignite failed" stack trace followed by {@code System.exit}. Stop {@code http} as usual afterwards,
     * failed or not. Call it on a service with nothing mapped yet.
     */
    public int start(Service http, Consumer<Service> routes) {
        Objects.requireNonNull(routes, "null routes");
        AtomicReference<Exception> failure = applyCatchingStartFailure(http);
        routes.accept(http);
        return awaitListening(http, failure);
    }

    /** {@link #applyTo}, and keeps a start failure for {@link #awaitListening} instead of Spark's System.exit. */
    AtomicReference<Exception> applyCatchingStartFailure(Service http) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        applyTo(http);
        http.initExceptionHandler(failure::set); // before any route: Spark's own handler would call System.exit
        return failure;
    }

    /** Starts {@code http} if no route did, waits until it listens and returns its port, or throws the failure. */
    static int awaitListening(Service http, AtomicReference<Exception> failure) {
        http.init();
        http.awaitInitialization();
        if (failure.get() != null) {
            throw new CannotListenException(cannotListen(failure.get(), http.port()), failure.get());
        }
        return http.port();
    }

    /** {@code Cannot listen on <address>: <why>}, on one line. */
    static String cannotListen(Exception failure, int port) {
        String address = "port " + port;
        String why = null;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.startsWith("Failed to bind to ")) {
                String bound = message.substring("Failed to bind to ".length());
                address = bound.substring(bound.indexOf('/') + 1);
            }
            if (t instanceof BindException) {
                why = message.contains("in use") ? "the port is already in use" : message;
            }
            if (t.getCause() == null && why == null) {
                why = message.isEmpty() ? t.getClass().getSimpleName() : message;
            }
        }
        return ("Cannot listen on " + address + ": " + why).replaceAll("\\s+", " ");
    }

    Duration requestIdleTimeout() {
        return requestIdleTimeout;
    }

    Duration requestHeadTimeout() {
        return requestHeadTimeout;
    }

    long minRequestDataRate() {
        return minRequestDataRate;
    }

    List<String> problemPrefixes() {
        return problemPrefixes;
    }

    Map<String, String> securityHeaders() {
        return securityHeaders;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JettySettings other && requestIdleTimeout.equals(other.requestIdleTimeout)
                && minRequestDataRate == other.minRequestDataRate && problemPrefixes.equals(other.problemPrefixes)
                && securityHeaders.equals(other.securityHeaders) && requestHeadTimeout.equals(other.requestHeadTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestIdleTimeout, minRequestDataRate, problemPrefixes, securityHeaders,
                requestHeadTimeout);
    }

    @Override
    public String toString() {
        return "JettySettings[requestIdleTimeout=" + requestIdleTimeout + ", minRequestDataRate=" + minRequestDataRate
                + ", requestHeadTimeout=" + requestHeadTimeout + ", problemJsonUnder=" + problemPrefixes + ", securityHeaders=" + securityHeaders.keySet() + "]";
    }
}
