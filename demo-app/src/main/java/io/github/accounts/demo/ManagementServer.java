package io.github.accounts.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The management listener {@code MANAGEMENT_PORT} turns on: Prometheus text at {@code GET /metrics}, bound to
 * 127.0.0.1 only, on a listener of its own (the JDK's HTTP server: one thread, nothing to configure), never on the
 * public port. Thread-safe; {@link #close} stops it.
 */
final class ManagementServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;

    private ManagementServer(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            this.server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw Failure.runtime("Cannot listen on " + address.getHostString() + ":" + port + " (MANAGEMENT_PORT): "
                    + e.getMessage());
        }
        server.createContext("/", this::answer);
        server.start();
        log.info("Management listener: Prometheus metrics at http://{}:{}/metrics (loopback only)",
                address.getHostString(), port());
    }

    /** Listens on {@code port} of 127.0.0.1 (0: a free one, logged). */
    static ManagementServer start(int port) {
        return new ManagementServer(port);
    }

    /**
     * The registry whose meters {@code /metrics} shows, typed as Micrometer's {@code MeterRegistry} so that only this
     * class, loaded when {@code MANAGEMENT_PORT} is set, names the Prometheus one (a start-up without it loads none).
     */
    MeterRegistry registry() {
        return registry;
    }

    /** The port it listens on: the one asked for, or the free one picked for 0. */
    int port() {
        return server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                send(exchange, 404, "text/plain; charset=utf-8", "Not found: only /metrics is served here.\n");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "Only GET is served here.\n");
            } else {
                send(exchange, 200, CONTENT_TYPE, registry.scrape());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        registry.close();
    }
}
