package io.github.accounts.demo;

import io.github.accounts.web.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The official Socket.IO client ({@code socket.io-client} 4.x, its browser bundle from npm) in a real headless
 * Chromium, on the demo's own page signed in with cookies: the session cookie authenticates it, and an event caused
 * by an HTTP call arrives. Skipped where Debian's Chromium is missing.
 */
class SocketIoBrowserTest {
    /** The client's package files are accounts-web's (its SocketIoTest drives the same client from Node). */
    private static final Path SOURCES = Path.of("..", "accounts-web", "src", "test", "socketio");
    private static final Path INSTALLED = Path.of("target", "socketio-client");

    private static BrowserDemo demo;
    private static TestApp app;
    private static Chromium chromium;

    @BeforeAll
    static void start(@TempDir Path profile) {
        demo = BrowserDemo.start(profile);
        app = demo.app;
        chromium = demo.chromium;
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void theClientInAPageSignedInWithCookiesGetsReadyAndTheUsersEvents() throws Exception {
        chromium.signUp("socketio@example.com", "Sia", "Browser");
        JavascriptExecutor page = (JavascriptExecutor) chromium.browser();
        page.executeScript(Files.readString(installedBundle(), StandardCharsets.UTF_8));
        page.executeScript("window.seen = [];"
                + "const socket = io({ path: '/accounts/socket.io' });"
                + "socket.on('ready', (r) => window.seen.push('ready ' + (r.user_id > 0)));"
                + "socket.on('event', (e) => window.seen.push('event ' + e.type));"
                + "socket.on('connect_error', (err) => window.seen.push('connect_error ' + err.message));");
        chromium.await().until(d -> seen(page).contains("ready true"));

        TestClient.Reply signIn = app.send("POST", "/accounts/sessions",
                TestClient.json("email", "socketio@example.com", "password", TestApp.PASSWORD), null);
        assertThat(signIn.status()).isEqualTo(201);

        chromium.await().until(d -> seen(page).contains("event session.signed_in"));
        assertThat(seen(page)).noneMatch(line -> line.startsWith("connect_error"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> seen(JavascriptExecutor page) {
        return (List<String>) page.executeScript("return window.seen.slice();");
    }

    /** socket.io-client's browser bundle, installed from the project's package files once per build directory. */
    private static synchronized Path installedBundle() throws IOException, InterruptedException {
        Path bundle = INSTALLED.resolve("node_modules/socket.io-client/dist/socket.io.min.js");
        Files.createDirectories(INSTALLED);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(SOURCES.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(bundle)) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALLED.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                fail("npm ci of the Socket.IO client failed:\n" + output);
            }
        }
        return bundle;
    }
}
