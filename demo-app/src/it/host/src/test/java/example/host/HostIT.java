package example.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.util.Jetty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's fat jar (shaded as docs/guide/host.md says) started as a process of its own with a secret, and driven
 * over a real socket as its users would: cookies + CSRF, TOTP, passkeys, the real-time channel and SMTP mail.
 */
class HostIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Path JAR = Path.of("target", "host-all.jar");
    private static final Path LOG = Path.of("target", "host-stderr.log");
    private static final String PUBLIC_URL = "http://localhost:8080";
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final BlockingQueue<String> MAILS = new LinkedBlockingQueue<>();
    private static ServerSocket smtp;
    private static Process host;
    private static String base;
    private static List<String> startUpLog;

    @BeforeAll
    static void startTheFatJar() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "no fat jar at " + JAR);
        smtp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread sink = new Thread(HostIT::acceptMail, "smtp-sink");
        sink.setDaemon(true);
        sink.start();
        ProcessBuilder start = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()).redirectError(LOG.toFile());
        start.environment().put("SECRET_KEY", "8f1c0e6a2b9d4c7e5f3a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e");
        start.environment().put("PORT", "0");
        start.environment().put("PUBLIC_URL", PUBLIC_URL);
        start.environment().put("SMTP_HOST", "127.0.0.1");
        start.environment().put("SMTP_PORT", String.valueOf(smtp.getLocalPort()));
        start.environment().put("SMTP_SECURITY", "NONE");
        host = start.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("listening on "), "the host did not start: " + Files.readString(LOG));
        base = "127.0.0.1:" + line.substring("listening on ".length());
        startUpLog = Files.readAllLines(LOG);
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopTheHost() throws Exception {
        host.destroy();
        host.waitFor(30, TimeUnit.SECONDS);
        smtp.close();
    }

    @Test
    void theHostRunsOnTheJettyAccountsWasTestedWith() {
        assertEquals("9.4.58.v20250814", Jetty.VERSION);
    }

    @Test
    void withItsSecretGivenTheHostStartsWithoutAWarningFromAccounts() {
        List<String> ours = startUpLog.stream()
                .filter(l -> l.contains("io.github.accounts") || l.toLowerCase(Locale.ROOT).contains("liquibase"))
                .toList();
        assertTrue(ours.stream().noneMatch(l -> l.contains("WARN")), "start-up warnings: " + ours);
        assertTrue(ours.size() <= 2, "start-up log lines from accounts and Liquibase: " + ours);
    }

    @Test
    void aUserSignsUpSignsInCallsAGuardedRouteRefreshesAndSignsOut() throws Exception {
        assertEquals(200, send("GET", "/hello", null, null).statusCode());
        assertEquals(401, send("GET", "/api/whoami", null, null).statusCode());
        String token = signUp("bearer@example.com");
        assertEquals("bearer@example.com", send("GET", "/api/whoami", null, null, "Authorization", "Bearer " + token)
                .body());

        HttpResponse<String> signIn = send("POST", "/auth/sessions",
                "{\"email\":\"bearer@example.com\",\"password\":\"" + PASSWORD + "\"}", null);
        assertEquals(201, signIn.statusCode(), signIn.body());
        JsonNode session = JSON.readTree(signIn.body()).path("session");
        HttpResponse<String> refresh = send("POST", "/auth/sessions/refresh",
                "{\"update_token\":\"" + session.path("update_token").asText() + "\"}", null);
        assertEquals(200, refresh.statusCode(), refresh.body());
        String refreshed = JSON.readTree(refresh.body()).path("session").path("session_token").asText();
        assertEquals(204, send("DELETE", "/auth/sessions/current", null, null, "Authorization", "Bearer " + refreshed)
                .statusCode());
        assertEquals(401, send("GET", "/api/whoami", null, null, "Authorization", "Bearer " + refreshed).statusCode());
    }

    @Test
    void aCookieSessionNeedsItsCsrfTokenForUnsafeRequests() throws Exception {
        HttpResponse<String> signUp = send("POST", "/auth/users", newUser("cookie@example.com"), "cookie");
        assertEquals(201, signUp.statusCode(), signUp.body());
        String cookie = signUp.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-accounts_session=")).findFirst().orElseThrow().split(";", 2)[0];
        String csrf = JSON.readTree(signUp.body()).path("session").path("csrf_token").asText();

        assertEquals("cookie@example.com", send("GET", "/api/whoami", null, null, "Cookie", cookie).body());
        HttpResponse<String> without = send("PATCH", "/auth/users/me", "{\"fname\":\"Cook\"}", null, "Cookie", cookie);
        assertEquals(403, without.statusCode(), without.body());
        assertTrue(without.body().contains("csrf_failed"), without.body());
        assertEquals(200, send("PATCH", "/auth/users/me", "{\"fname\":\"Cook\"}", null, "Cookie", cookie,
                "X-CSRF-Token", csrf).statusCode());
    }

    @Test
    void theVerificationMailArrivesOverSmtpAndThenTotpCanBeTurnedOn() throws Exception {
        String token = signUp("mailed@example.com");
        assertEquals(202, send("POST", "/auth/email-verifications", null, null, "Authorization", "Bearer " + token)
                .statusCode());
        String mail = nextMailTo("mailed@example.com");
        Matcher mailed = Pattern.compile("[A-Za-z0-9_-]{43}").matcher(mail);
        String verification = null;
        while (mailed.find()) {
            verification = mailed.group();
        }
        assertNotNull(verification, mail);
        HttpResponse<String> confirmed = send("POST", "/auth/email-verifications/confirm",
                "{\"token\":\"" + verification + "\"}", null);
        assertEquals(200, confirmed.statusCode(), confirmed.body());

        HttpResponse<String> totp = send("POST", "/auth/users/me/mfa/totp", "{\"password\":\"" + PASSWORD + "\"}",
                null, "Authorization", "Bearer " + token);
        assertEquals(200, totp.statusCode(), totp.body());
        assertTrue(JSON.readTree(totp.body()).path("otpauth_uri").asText().contains("issuer=Host"), totp.body());
    }

    @Test
    void passkeysAreOfferedForThePublicUrlsHost() throws Exception {
        HttpResponse<String> options = send("POST", "/auth/sessions/passkey-options", null, null);
        assertEquals(200, options.statusCode(), options.body());
        assertTrue(options.body().contains("localhost"), options.body());
    }

    @Test
    void theRealtimeSocketAuthenticatesAndIsReady() throws Exception {
        String token = signUp("socket@example.com");
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = CLIENT.newWebSocketBuilder().buildAsync(URI.create("ws://" + base + "/auth/events/socket"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"authenticate\",\"session_token\":\"" + token + "\"}", true);
        String ready = frames.poll(30, TimeUnit.SECONDS);
        assertNotNull(ready, "no frame from the socket");
        assertEquals("ready", JSON.readTree(ready).path("type").asText(), ready);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    private static String signUp(String email) throws Exception {
        HttpResponse<String> signUp = send("POST", "/auth/users", newUser(email), null);
        assertEquals(201, signUp.statusCode(), signUp.body());
        return JSON.readTree(signUp.body()).path("session").path("session_token").asText();
    }

    private static String newUser(String email) {
        return "{\"email\":\"" + email + "\",\"fname\":\"Host\",\"lname\":\"User\",\"password\":\"" + PASSWORD + "\"}";
    }

    private static String nextMailTo(String to) throws InterruptedException {
        for (String mail = MAILS.poll(30, TimeUnit.SECONDS); mail != null; mail = MAILS.poll(30, TimeUnit.SECONDS)) {
            if (mail.contains("To: " + to) && !mail.contains("\nWhen: ")) {
                return mail;
            }
        }
        throw new AssertionError("no mail to " + to);
    }

    private static HttpResponse<String> send(String method, String path, String json, String transport,
                                             String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + base + path))
                .timeout(Duration.ofSeconds(30)).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (transport != null) {
            request.header("X-Session-Transport", transport);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A minimal SMTP sink on loopback: accepts every message and queues its text (headers and body). */
    private static void acceptMail() {
        while (!smtp.isClosed()) {
            try (Socket client = smtp.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                         StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
                out.print("220 sink\r\n");
                out.flush();
                List<String> message = new ArrayList<>();
                boolean data = false;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (data) {
                        if (line.equals(".")) {
                            data = false;
                            MAILS.add(String.join("\n", message));
                            message.clear();
                            out.print("250 queued\r\n");
                        } else {
                            message.add(line);
                        }
                    } else if (line.toUpperCase(Locale.ROOT).startsWith("DATA")) {
                        data = true;
                        out.print("354 go on\r\n");
                    } else if (line.toUpperCase(Locale.ROOT).startsWith("QUIT")) {
                        out.print("221 bye\r\n");
                        out.flush();
                        break;
                    } else {
                        out.print("250 ok\r\n");
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // the sink closed, or a client went away: take the next one
            }
        }
    }
}
