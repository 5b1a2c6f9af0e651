package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import spark.Service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/** A real Spark server on a free loopback port, with the host's routes, and a small JSON client for it. */
public final class TestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final Service http;
    public final String base;

    public TestServer(Consumer<Service> routes) {
        http = Service.ignite().ipAddress("127.0.0.1").port(0);
        routes.accept(http);
        http.init();
        http.awaitInitialization();
        base = "http://127.0.0.1:" + http.port();
    }

    /** An HTTP answer, with its body parsed when it is JSON. */
    public record Reply(int status, HttpResponse<String> raw) {
        Reply withStatus() {
            return new Reply(raw.statusCode(), raw);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + raw.body(), e);
            }
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }

        public String code() {
            return json().path("code").asText(null);
        }
    }

    /** Sends {@code method path} with an optional JSON body and bearer token. */
    public Reply send(String method, String path, String jsonBody, String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        return send(b.build());
    }

    public Reply send(HttpRequest request) {
        try {
            return new Reply(0, CLIENT.send(request, HttpResponse.BodyHandlers.ofString())).withStatus();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object... keyValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.putPOJO((String) keyValues[i], keyValues[i + 1]);
        }
        return node.toString();
    }

    @Override
    public void close() {
        http.stop();
        http.awaitStop();
    }
}
