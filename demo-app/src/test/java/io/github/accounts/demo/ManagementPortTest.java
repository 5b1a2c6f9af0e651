package io.github.accounts.demo;

import io.github.accounts.web.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MANAGEMENT_PORT: accounts' meters as Prometheus text on a loopback listener of its own, never on the public port. */
class ManagementPortTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private static TestApp app;
    private static TestClient management;

    @BeforeAll
    static void start() {
        app = new TestApp(Map.of("MANAGEMENT_PORT", "0"));
        management = new TestClient("http://127.0.0.1:" + app.app.managementPort().orElseThrow());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void metricsMoveAsUsersSignUpSignInAndRefresh() {
        String before = scrape();
        String email = "scraped@example.com";
        app.signUp(email, "Scrape");
        assertThat(app.send("POST", "/accounts/sessions", Map.of("email", email, "password", "not the password, no"),
                null).status()).isEqualTo(401);
        TestApp.Reply signedIn = app.send("POST", "/accounts/sessions",
                Map.of("email", email, "password", TestApp.PASSWORD), null);
        String updateToken = signedIn.json().path("session").path("update_token").asText();
        assertThat(app.send("POST", "/accounts/sessions/refresh", Map.of("update_token", updateToken), null).status())
                .isEqualTo(200);
        assertThat(app.send("POST", "/accounts/sessions/refresh", Map.of("update_token", updateToken), null).status())
                .isEqualTo(401); // within the grace window: refused

        String after = scrape();
        assertThat(moved(before, after, "accounts_sign_ups_total{outcome=\"success\"}")).isEqualTo(1);
        assertThat(moved(before, after, "accounts_sign_ins_total{method=\"password\",outcome=\"success\"}"))
                .isEqualTo(1);
        assertThat(moved(before, after,
                "accounts_sign_ins_total{method=\"password\",outcome=\"invalid_credentials\"}")).isEqualTo(1);
        assertThat(moved(before, after, "accounts_refreshes_total{outcome=\"rotated\"}")).isEqualTo(1);
        assertThat(moved(before, after, "accounts_refreshes_total{outcome=\"refused\"}")).isEqualTo(1);
        assertThat(moved(before, after, "accounts_password_hash_seconds_count{operation=\"verify\"}")).isEqualTo(2);
        assertThat(after).contains("accounts_password_hash_queue ", "accounts_sessions_active ");
    }

    @Test
    void promtoolAcceptsTheScrape() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool check skipped: no " + PROMTOOL
                + "; to run it, install Debian's package: apt-get install prometheus");
        app.signUp("promtool@example.com", "Prom"); // every kind of meter has samples
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true)
                .start();
        try (OutputStream stdin = promtool.getOutputStream()) {
            stdin.write(scrape().getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as(said).isZero();
        assertThat(said).isEmpty(); // no lint problem either
    }

    @Test
    void thePublicPortHasNoMetrics() {
        TestApp.Reply reply = app.get("/metrics", null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).contains("Page not found").doesNotContain("accounts_");
    }

    @Test
    void theManagementListenerServesOnlyGetMetrics() {
        TestClient.Reply reply = management.get("/metrics", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo(ManagementServer.CONTENT_TYPE);
        assertThat(management.get("/", null).status()).isEqualTo(404);
        assertThat(management.get("/accounts/users/me", null).status()).isEqualTo(404);
        assertThat(management.send("POST", "/metrics", Map.of(), null).status()).isEqualTo(405);
    }

    @Test
    void theManagementListenerIsBoundToLoopbackOnly() throws SocketException {
        List<InetAddress> others = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress()).toList();
        assumeFalse(others.isEmpty(), "no address but loopback on this machine");
        int port = app.app.managementPort().orElseThrow();
        for (InetAddress address : others) {
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 2_000);
                }
            }).as(address.toString()).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void withoutManagementPortThereIsNoManagementListenerInAnyEnvironment() {
        for (Environment environment : Environment.values()) {
            Settings settings = Settings.from(Map.of("APP_SETTINGS", environment.label(), "DATABASE_URL",
                    "postgresql://u:p@db/app", "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:"));
            assertThat(settings.managementPort()).as(environment.label()).isEmpty();
        }
        try (TestApp plain = new TestApp()) {
            assertThat(plain.app.managementPort()).isEmpty();
        }
    }

    @Test
    void managementPortIsAPortNumber() {
        assertThat(Settings.from(Map.of("MANAGEMENT_PORT", "9464")).managementPort()).hasValue(9464);
        assertThat(Settings.from(Map.of("MANAGEMENT_PORT", "0")).managementPort()).hasValue(0);
        assertThatThrownBy(() -> Settings.from(Map.of("MANAGEMENT_PORT", "metrics"))).isInstanceOf(Failure.class)
                .hasMessage("MANAGEMENT_PORT must be a whole number from 0 to 65535, not 'metrics'");
    }

    private static String scrape() {
        TestClient.Reply reply = management.get("/metrics", null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.body();
    }

    /** How far the sample {@code series} (name and labels, as Prometheus prints them) moved between two scrapes. */
    private static double moved(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
        assertThat(m.find()).as(series + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
