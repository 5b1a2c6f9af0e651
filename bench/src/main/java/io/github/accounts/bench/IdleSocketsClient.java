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
 * The clients of {@link RealtimeBenchmark}'s idle sockets, in a process of their own so that their memory is not
 * counted: plain TCP sockets that upgrade, authenticate (16 per token) and then stay silent. Prints one line once
 * all are open and waits to be killed.
 */
public final class IdleSocketsClient {
    private IdleSocketsClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        List<String> tokens = Files.readAllLines(Path.of(args[2]));
        int count = Integer.parseInt(args[3]);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.add(connect(port, path, tokens.get(i / 16)));
        }
        System.out.println(open.size() + " open");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static Socket connect(int port, String path, String token) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the upgrade");
            }
            head.write(b);
        }
        byte[] payload = ("{\"type\":\"authenticate\",\"session_token\":\"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
        return s;
    }
}
