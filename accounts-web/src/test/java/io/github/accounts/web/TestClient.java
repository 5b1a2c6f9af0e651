package io.github.accounts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.TestAccounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON client over a real socket for one server, the one every module's tests talk HTTP with: accounts-web's
 * {@link TestServer} and demo-app's whole app extend it. Thread-safe.
 */
public class TestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Where the server listens, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
    public final String base;

    public TestClient(String base) {
        this.base = base;
    }

    /** An HTTP answer, with its body parsed when it is JSON. */
    public record Reply(int status, HttpResponse<String> raw) {
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

    /** Sends {@code GET path}, with a bearer token unless it is null. */
    public Reply get(String path, String token) {
        return send("GET", path, null, token);
    }

    /**
     * Sends {@code method path} with an optional JSON body (a String is sent as it is, anything else as Jackson
     * writes it), an optional bearer token and more headers as name, value pairs.
     */
    public Reply send(String method, String path, Object jsonBody, String token, String... headers) {
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
                : HttpRequest.BodyPublishers.ofString(jsonBody instanceof String s ? s : write(jsonBody)));
        return send(b.build());
    }

    /** Sends a request built by hand (for bodies and headers {@link #send(String, String, Object, String, String...)} does not make). */
    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> raw = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(raw.statusCode(), raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies the address of {@code token}'s user over HTTP with the token {@code fixture}'s mailer caught, as adding
     * a second factor or a passkey needs; {@code prefix} is where the accounts routes are mounted.
     */
    public void verifyEmail(TestAccounts fixture, String prefix, String email, String token) {
        String mailed = Mailbox.next(fixture, email, () -> {
            Reply asked = send("POST", prefix + "/email-verifications", null, token);
            if (asked.status() != 202) {
                throw new AssertionError("Verification mail refused: " + asked.body());
            }
        }).token();
        Reply confirmed = send("POST", prefix + "/email-verifications/confirm", json("token", mailed), null);
        if (confirmed.status() != 200) {
            throw new AssertionError("Verification refused: " + confirmed.body());
        }
    }

    /** A JSON object of the given keys and values, e.g. {@code json("email", e, "password", p)}. */
    public static String json(Object... keyValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.putPOJO((String) keyValues[i], keyValues[i + 1]);
        }
        return node.toString();
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
