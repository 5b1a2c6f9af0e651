package io.github.accounts.mail.smtp;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** SMTP servers for the tests: GreenMail, its certificate, a STARTTLS front for it, and servers that misbehave. */
final class Servers {
    static final String FROM = "accounts@example.com";

    private Servers() {
    }

    static GreenMail greenMail(int port, String protocol) {
        // GreenMail's default 2 s to start was too short for SMTPS on a build machine busy with other builds.
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", protocol);
        setup.setServerStartupTimeout(30_000);
        GreenMail server = new GreenMail(setup);
        server.start();
        return server;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GreenMail's self-signed key and certificate (alias greenmail), the one its SMTPS server presents. */
    static KeyStore greenMailKeys() throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = GreenMail.class.getResourceAsStream("/greenmail.p12")) {
            keys.load(in, "changeit".toCharArray());
        }
        return keys;
    }

    static X509Certificate greenMailCertificate() throws IOException, GeneralSecurityException {
        return (X509Certificate) greenMailKeys().getCertificate("greenmail");
    }

    /** Waits, for at most half a minute, until {@code condition} holds; a bound on a hang, not a speed check. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("Condition still false after 30 s");
        }
    }

    /** A server that accepts connections and never says a word; it keeps them open until closed. */
    static final class Silent implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        Silent() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (IOException closed) {
                    // closed by the test
                }
            }, "silent-smtp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * A STARTTLS front for a plain GreenMail (which has no STARTTLS): it greets, offers STARTTLS, completes the
     * handshake with GreenMail's certificate, then relays the encrypted session to GreenMail.
     */
    static final class StartTlsFront implements AutoCloseable {
        private final ServerSocket socket;

        StartTlsFront(int greenMailPort) throws IOException, GeneralSecurityException {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(greenMailKeys(), "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = socket.accept();
                        serve(client, tls, greenMailPort);
                    }
                } catch (IOException closed) {
                    // closed by the test
                }
            }, "starttls-front");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private static void serve(Socket client, SSLContext tls, int greenMailPort) throws IOException {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            write(out, "220 front ESMTP");
            while (true) {
                String line = readLine(in).toUpperCase();
                if (line.startsWith("EHLO")) {
                    write(out, "250-front\r\n250 STARTTLS");
                } else if (line.startsWith("STARTTLS")) {
                    write(out, "220 Go ahead");
                    break;
                } else {
                    write(out, "530 Must issue a STARTTLS command first");
                }
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, null, client.getPort(), true);
            secure.setUseClientMode(false);
            secure.startHandshake();
            Socket back = new Socket(InetAddress.getLoopbackAddress(), greenMailPort);
            readLine(back.getInputStream()); // GreenMail's greeting; the client had the front's
            pipe(secure.getInputStream(), back.getOutputStream());
            pipe(back.getInputStream(), secure.getOutputStream());
        }

        private static void pipe(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try (from; to) {
                    from.transferTo(to);
                } catch (IOException done) {
                    // one side closed
                }
            }, "starttls-pipe");
            t.setDaemon(true);
            t.start();
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private static void write(OutputStream out, String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
