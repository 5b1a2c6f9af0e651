package io.github.accounts.core.webhook;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 POST to a checked {@link UrlGuard.Target}: the socket goes to the checked address (the name is used
 * only for TLS, its certificate check and SNI, and the Host header), the whole attempt has {@link #TIMEOUT}, redirects
 * are answers like any other (never followed), and at most {@link #MAX_ANSWER} bytes of the answer are read: its
 * status line. A plain socket client because the JDK's HTTP clients look the name up again when they connect.
 * Thread-safe.
 */
final class Sender {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_ANSWER = 64 * 1024;
    /** No status: the connection failed, timed out, or the answer was not HTTP. */
    static final int NO_ANSWER = -1;
    /** The longest reason kept (the column's size). */
    static final int MAX_REASON = 300;

    /** What an attempt came to: the answer's status, or {@link #NO_ANSWER} and why there was none. */
    record Answer(int status, String error) {
        static Answer failed(String why) {
            String reason = why == null ? "unknown" : why.strip();
            return new Answer(NO_ANSWER, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        }
    }

    private final SSLSocketFactory tls;
    private final Duration timeout;

    Sender(SSLSocketFactory tls, Duration timeout) {
        this.tls = tls;
        this.timeout = timeout;
    }

    /** The status code of the answer, or {@link #NO_ANSWER} with the reason. */
    Answer post(UrlGuard.Target target, Map<String, String> headers, byte[] body) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.address(), target.port()), millisLeft(deadline));
            socket.setSoTimeout(millisLeft(deadline));
            Socket channel = target.https() ? tls(socket, target) : socket;
            OutputStream out = channel.getOutputStream();
            out.write(head(target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            int status = status(channel, deadline);
            return status == NO_ANSWER ? Answer.failed("The answer was not HTTP/1.x.") : new Answer(status, null);
        } catch (SSLException e) {
            return Answer.failed("TLS with " + target.host() + " failed: " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return Answer.failed("No answer within " + timeout.toSeconds() + " s.");
        } catch (ConnectException e) {
            return Answer.failed("Could not connect to " + target.address().getHostAddress() + " port "
                    + target.port() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Answer.failed("The connection failed: " + e);
        }
    }

    private SSLSocket tls(Socket socket, UrlGuard.Target target) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, target.host(), target.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (Character.isLetter(target.host().charAt(target.host().length() - 1))) {
            params.setServerNames(List.of(new SNIHostName(target.host())));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static String head(UrlGuard.Target target, Map<String, String> headers, int length) {
        StringBuilder head = new StringBuilder("POST ").append(target.pathAndQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.hostHeader()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    /** The code of the status line ({@code HTTP/1.x NNN ...}), read within the deadline and the answer's limit. */
    private static int status(Socket channel, long deadline) throws IOException {
        InputStream in = channel.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int read = 0; read < MAX_ANSWER; read++) {
            channel.setSoTimeout(millisLeft(deadline));
            int b = in.read();
            if (b == -1 || b == '\n') {
                break;
            }
            line.write(b);
        }
        String[] parts = line.toString(StandardCharsets.ISO_8859_1).trim().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5]\\d\\d")) {
            return NO_ANSWER;
        }
        return Integer.parseInt(parts[1]);
    }

    private static int millisLeft(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("The webhook's answer took longer than the timeout");
        }
        return (int) Math.max(1, left);
    }
}
