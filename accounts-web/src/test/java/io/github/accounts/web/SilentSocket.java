package io.github.accounts.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client by hand on a plain TCP socket with a small receive buffer, which authenticates and then reads
 * nothing: the slow consumer, whose backlog only the server can hold (a {@code java.net.http.WebSocket} keeps
 * reading into memory of its own). Not thread-safe.
 */
final class SilentSocket implements AutoCloseable {
    private final Socket socket;

    SilentSocket(String base, String path) {
        URI uri = URI.create(base);
        try {
            socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = head(socket.getInputStream());
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new AssertionError("Not upgraded: " + head);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** One text frame, masked as a client's must be (with a zero key, so the payload goes as it is). */
    void send(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        try {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
            out.write(payload);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads everything the server left until it ends the connection; false if it is still open after 15 s. */
    boolean drainsToTheEnd() {
        try {
            socket.setSoTimeout(15_000);
            byte[] buffer = new byte[64 * 1024];
            InputStream in = socket.getInputStream();
            while (in.read(buffer) >= 0) {
                // the backlog, then the end
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server: ended too
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
