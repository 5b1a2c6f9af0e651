package io.github.accounts.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * demo-app started the way {@code serve} starts it, on a free loopback port, with a small HTTP client for it.
 * Settings default to the testing environment (H2 in memory); pass variables to change them.
 */
final class TestApp implements AutoCloseable {
    static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final RunningApp app;
    final String base;

    TestApp(Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(Map.of("APP_SETTINGS", "testing", "HOST", "127.0.0.1", "PORT", "0"));
        all.putAll(variables);
        app = App.start(Settings.from(all));
        base = "http://127.0.0.1:" + app.port();
    }

    TestApp() {
        this(Map.of());
    }

    /** An answer, its body parsed on demand. */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String path, String token) {
        return send("GET", path, null, token);
    }

    Reply send(String method, String path, Object jsonBody, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
            try {
                b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(jsonBody)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Signs up a new user and returns their session token. */
    String signUp(String email, String fname) {
        Reply r = send("POST", "/accounts/users",
                Map.of("email", email, "fname", fname, "lname", "Tester", "password", PASSWORD), null);
        if (r.status() != 201) {
            throw new AssertionError("Sign-up failed: " + r.status() + " " + r.body());
        }
        return r.json().path("session").path("session_token").asText();
    }

    @Override
    public void close() {
        app.close();
    }
}
