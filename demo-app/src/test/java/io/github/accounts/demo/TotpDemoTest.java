package io.github.accounts.demo;

import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's second factor: its TOTP key derived from SECRET_KEY, rotated with SECRET_KEY_PREVIOUS, and the QR
 * code it draws itself.
 */
class TotpDemoTest {
    private static final String OLD_KEY = "0123456789abcdef".repeat(4);
    private static final String NEW_KEY = "fedcba9876543210".repeat(4);

    @Test
    void aSecretSealedUnderThePreviousSecretKeyStillWorksAfterARotation() {
        String database = TestDatabase.H2.freshJdbcUrl();
        Authenticator phone;
        Map<String, String> mailing = new HashMap<>(Map.of("DATABASE_URL", database, "SECRET_KEY", OLD_KEY));
        try (Inbox inbox = new Inbox()) {
            mailing.putAll(inbox.mailUrl());
            try (TestApp before = new TestApp(mailing)) {
                String token = before.signUp("rotate@example.com", "Rita");
                inbox.verify(before, "rotate@example.com", token); // enrolling needs a verified email
                phone = enrol(before, token);
            }
        }
        try (TestApp rotated = new TestApp(Map.of("DATABASE_URL", database, "SECRET_KEY", NEW_KEY,
                "SECRET_KEY_PREVIOUS", OLD_KEY))) {
            assertThat(signInWithCode(rotated, phone.code(Clock.systemUTC()))).isEqualTo(201);
        }
        try (TestApp newKeyOnly = new TestApp(Map.of("DATABASE_URL", database, "SECRET_KEY", NEW_KEY))) {
            assertThat(signInWithCode(newKeyOnly, phone.code(Clock.systemUTC(), 1))).isEqualTo(201); // re-sealed
        }
    }

    /** Turns TOTP on for the user of {@code token}; the authenticator app that holds the secret. */
    private static Authenticator enrol(TestApp app, String token) {
        Reply started = app.send("POST", "/accounts/users/me/mfa/totp", json("password", TestApp.PASSWORD), token);
        assertThat(started.json().get("otpauth_uri").asText()).as(started.body())
                .startsWith("otpauth://totp/accounts%20demo:");
        Authenticator phone = new Authenticator(started.json().get("secret").asText());
        awayFromAStepBoundary(); // the step before now passes, the one before that would not
        assertThat(app.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code",
                phone.code(Clock.systemUTC(), -1)), token).status()).isEqualTo(200);
        return phone;
    }

    /** The wall clock's codes are used here: waits out the last three seconds of a step, if it is in them. */
    private static void awayFromAStepBoundary() {
        while (Clock.systemUTC().instant().getEpochSecond() % 30 >= 27) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static int signInWithCode(TestApp app, String code) {
        Reply first = app.send("POST", "/accounts/sessions", json("email", "rotate@example.com", "password",
                TestApp.PASSWORD), null);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        Reply second = app.send("POST", "/accounts/sessions/mfa", json("mfa_token",
                first.json().at("/mfa/mfa_token").asText(), "code", code), null);
        return second.status();
    }

    @Test
    void theQrCodeIsDrawnByTheDemoServerAsSvg() {
        try (TestApp app = new TestApp()) {
            Reply qr = app.send("POST", "/demo/totp-qr.svg", json("otpauth_uri",
                    "otpauth://totp/accounts%20demo:a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=accounts%20demo"),
                    null);
            assertThat(qr.status()).isEqualTo(200);
            assertThat(qr.header("Content-Type")).startsWith("image/svg+xml");
            assertThat(qr.body()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").contains("<path d=\"M");
            assertThat(app.send("POST", "/demo/totp-qr.svg", json("otpauth_uri", "https://example.com/"), null)
                    .status()).isEqualTo(400);
            assertThat(app.send("POST", "/demo/totp-qr.svg", "not json", null).status()).isEqualTo(400);
        }
    }
}
