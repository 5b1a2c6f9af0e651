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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host started as a process of its own and driven over a real socket, as its users would. */
class HostTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final Path LOG = Path.of("target", "host-stderr.log");
    private static Process host;
    private static String base;
    private static List<String> startUpLog;

    @BeforeAll
    static void startTheHost() throws Exception {
        Files.createDirectories(LOG.getParent());
        host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HostApp.class.getName())
                .redirectError(LOG.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("listening on "), "the host did not start: " + Files.readString(LOG));
        base = "http://127.0.0.1:" + line.substring("listening on ".length());
        startUpLog = Files.readAllLines(LOG);
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopTheHost() throws Exception {
        host.destroy();
        host.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void theHostRunsOnTheJettyAccountsWasTestedWith() {
        assertEquals("9.4.58.v20250814", Jetty.VERSION);
    }

    @Test
    void startUpLogsAtMostAFewLinesFromAccountsAndLiquibase() {
        List<String> ours = startUpLog.stream()
                .filter(l -> l.contains("io.github.accounts") || l.toLowerCase(Locale.ROOT).contains("liquibase"))
                .toList();
        // the migration's line and one WARN for each key this bare host leaves out: throttle, TOTP, CSRF
        assertTrue(ours.size() <= 4, "start-up log lines from accounts and Liquibase: " + ours);
        assertTrue(startUpLog.size() <= 5, "start-up log: " + startUpLog);
    }

    @Test
    void aUserSignsUpSignsInCallsAGuardedRouteRefreshesAndSignsOut() throws Exception {
        assertEquals(200, send("GET", "/hello", null, null).statusCode());
        assertEquals(401, send("GET", "/api/whoami", null, null).statusCode());

        String password = "plum ferry quartz nine lantern";
        HttpResponse<String> signUp = send("POST", "/auth/users",
                "{\"email\":\"host@example.com\",\"fname\":\"Host\",\"lname\":\"User\",\"password\":\"" + password + "\"}",
                null);
        assertEquals(201, signUp.statusCode(), signUp.body());

        HttpResponse<String> signIn = send("POST", "/auth/sessions",
                "{\"email\":\"host@example.com\",\"password\":\"" + password + "\"}", null);
        assertEquals(201, signIn.statusCode(), signIn.body());
        JsonNode session = JSON.readTree(signIn.body()).path("session");

        HttpResponse<String> whoami = send("GET", "/api/whoami", null, session.path("session_token").asText());
        assertEquals(200, whoami.statusCode());
        assertEquals("host@example.com", whoami.body());

        HttpResponse<String> refresh = send("POST", "/auth/sessions/refresh",
                "{\"update_token\":\"" + session.path("update_token").asText() + "\"}", null);
        assertEquals(200, refresh.statusCode(), refresh.body());
        String refreshed = JSON.readTree(refresh.body()).path("session").path("session_token").asText();
        assertEquals(200, send("GET", "/api/whoami", null, refreshed).statusCode());

        assertEquals(204, send("DELETE", "/auth/sessions/current", null, refreshed).statusCode());
        assertEquals(401, send("GET", "/api/whoami", null, refreshed).statusCode());
    }

    private static HttpResponse<String> send(String method, String path, String json, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
