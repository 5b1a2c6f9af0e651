package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client ({@code java.net.http.WebSocket}) over a real socket: it collects the server's JSON
 * messages and the close code. {@link #reading} false opens one that reads nothing until {@link #startReading},
 * the slow consumer. Thread-safe.
 */
final class TestSocket implements WebSocket.Listener {
    /** The close code when the connection ended without a close frame. */
    static final int ABNORMAL = 1006;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean reading;
    private WebSocket ws;

    private TestSocket(boolean reading) {
        this.reading = reading;
    }

    /** Opens {@code ws://.../path} of an {@code http://} base, with more headers as name, value pairs. */
    static TestSocket open(String base, String path, String... headers) {
        return open(true, base, path, headers);
    }

    static TestSocket open(boolean reading, String base, String path, String... headers) {
        TestSocket socket = new TestSocket(reading);
        WebSocket.Builder b = CLIENT.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        socket.ws = b.buildAsync(URI.create(base.replaceFirst("^http", "ws") + path), socket).join();
        return socket;
    }

    /** The HTTP status of an upgrade the server refused. */
    static int refusedStatus(String base, String path, String... headers) {
        try {
            open(base, path, headers);
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("The upgrade was not refused");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    void startReading() {
        ws.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            partial.setLength(0);
        }
        if (reading) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(ABNORMAL);
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    void authenticate(String sessionToken) {
        send("{\"type\":\"authenticate\",\"session_token\":\"" + sessionToken + "\"}");
    }

    /** The next message, waiting up to 10 s. */
    JsonNode next() {
        try {
            JsonNode message = messages.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("No message came; closed: " + closed.getNow(null));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message of {@code type}, skipping others (events of the user's other sessions, say). */
    JsonNode next(String type) {
        for (JsonNode m = next(); ; m = next()) {
            if (m.path("type").asText().equals(type)) {
                return m;
            }
        }
    }

    /** The next event of {@code eventType}. */
    JsonNode nextEvent(String eventType) {
        for (JsonNode m = next("event"); ; m = next("event")) {
            if (m.path("event").path("type").asText().equals(eventType)) {
                return m.get("event");
            }
        }
    }

    /** Messages already received and not taken. */
    int waiting() {
        return messages.size();
    }

    /** The code the socket closed with, waiting up to {@code seconds}. */
    int closeCode(int seconds) {
        try {
            return closed.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("The socket did not close within " + seconds + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int closeCode() {
        return closeCode(10);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    void abort() {
        ws.abort();
    }
}
