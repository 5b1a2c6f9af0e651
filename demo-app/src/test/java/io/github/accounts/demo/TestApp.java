package io.github.accounts.demo;

import io.github.accounts.web.TestClient;

import java.util.HashMap;
import java.util.Map;

/**
 * demo-app started the way {@code serve} starts it, on a free loopback port, with accounts-web's {@link TestClient}
 * for it. Settings default to the testing environment (H2 in memory); pass variables to change them.
 */
final class TestApp extends TestClient implements AutoCloseable {
    static final String PASSWORD = "plum ferry quartz nine lantern";
    /** A SECRET_KEY for tests of staging and production, which require one. */
    static final String SECRET_KEY = "5ec7e7".repeat(11);

    final RunningApp app;

    TestApp(Map<String, String> variables) {
        this(App.start(Settings.from(withTestDefaults(variables))));
    }

    TestApp() {
        this(Map.of());
    }

    private TestApp(RunningApp app) {
        super("http://127.0.0.1:" + app.port());
        this.app = app;
    }

    private static Map<String, String> withTestDefaults(Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(Map.of("APP_SETTINGS", "testing", "HOST", "127.0.0.1", "PORT", "0"));
        all.putAll(variables);
        return all;
    }

    /** Signs up a new user and returns their session token. */
    String signUp(String email, String fname) {
        Reply r = send("POST", "/accounts/users",
                Map.of("email", email, "fname", fname, "lname", "Tester", "password", PASSWORD), null);
        if (r.status() != 201) {
            throw new AssertionError("Sign-up failed: " + r.status() + " " + r.body());
        }
        return r.json().path("session").path("session_token").asText();
    }

    @Override
    public void close() {
        app.close();
    }
}
