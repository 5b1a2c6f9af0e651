package io.github.accounts.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The clients of {@link SocketIoBenchmark}'s idle Socket.IO clients, in a process of their own so that their memory
 * is not counted: plain TCP sockets that upgrade to engine.io's WebSocket transport, send Socket.IO's CONNECT with a
 * session token (16 per token), wait for their ready and then stay silent. Prints one line once all are open and waits to be killed.
 */
public final class SocketIoIdleClients {
    private SocketIoIdleClients() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<String> tokens = Files.readAllLines(Path.of(args[1]));
        int count = Integer.parseInt(args[2]);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.add(connect(port, tokens.get(i / 16)));
        }
        System.out.println(open.size() + " open");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static Socket connect(int port, String token) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /accounts/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("not upgraded: " + head.toString(StandardCharsets.US_ASCII));
        }
        byte[] payload = ("40{\"session_token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
        // Its ready read before the next connects: the unauthenticated budget (16 per address) stays free.
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        while (!frames.toString(StandardCharsets.ISO_8859_1).contains("\"ready\"")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before ready: " + frames.toString(StandardCharsets.ISO_8859_1));
            }
            frames.write(b);
        }
        return s;
    }
}
