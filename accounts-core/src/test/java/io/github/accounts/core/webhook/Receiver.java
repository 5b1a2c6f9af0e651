package io.github.accounts.core.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on a loopback port (the JDK's HTTP server): it keeps every request and answers with the
 * status set, 200 by default; {@link #blockUntil} holds its answers until the test lets them go. Thread-safe.
 */
final class Receiver implements AutoCloseable {
    /** One request as received: lower-case header names. */
    record Received(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    private final HttpServer server;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile String location;

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Answers 302 to {@code target} from now on. */
    void redirectTo(String target) {
        location = target;
        status.set(302);
    }

    /** Holds every answer until the returned latch is counted down. */
    CountDownLatch blockUntil() {
        gate = new CountDownLatch(1);
        return gate;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        received.add(new Received(exchange.getRequestURI().toString(), headers, body));
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (location != null) {
            exchange.getResponseHeaders().add("Location", location);
        }
        exchange.sendResponseHeaders(status.get(), -1);
        exchange.close();
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
