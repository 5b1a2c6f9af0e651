package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second factor over HTTP: the four TOTP routes, the 202 of sign-in and {@code POST /sessions/mfa}, with a code
 * or with a passkey ({@code POST /sessions/mfa/passkey-options}).
 */
@OnEachDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MfaRoutesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAccounts fixture;
    private Accounts keyless;
    private TestServer server;

    @Parameter
    TestDatabase database;

    @BeforeParameterizedClassInvocation
    void start() {
        fixture = new TestAccounts(database);
        keyless = Accounts.builder(fixture.emf).config(fixture.accounts.config()).clock(fixture.clock)
                .throttleSecret(TestAccounts.THROTTLE_SECRET).housekeeping(false).build();
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).csrfKey(new byte[32]).clock(fixture.clock)
                .build();
        AccountsRoutes without = AccountsRoutes.builder(keyless).csrfKey(new byte[32]).build();
        server = new TestServer(http -> {
            routes.mount(http, "/accounts");
            without.mount(http, "/keyless");
        });
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
        keyless.close();
        fixture.close();
    }

    /** A signed-up user over HTTP, with the authenticator app once enrolled. */
    private final class User {
        final String email = "mfa" + USERS.incrementAndGet() + "." + ProcessHandle.current().pid() + "@example.com";
        String token;
        Authenticator app;
        List<String> recoveryCodes;

        User() {
            Reply r = server.send("POST", "/accounts/users", json("email", email, "fname", "Ada", "lname",
                    "Lovelace", "password", PASSWORD), null);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            token = r.json().at("/session/session_token").asText();
            server.verifyEmail(fixture, "/accounts", email, token); // factors need a verified email
        }

        Reply send(String method, String path, String body) {
            return server.send(method, path, body, token);
        }

        User enrolled() {
            Reply started = send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD));
            assertThat(started.status()).as(started.body()).isEqualTo(200);
            app = new Authenticator(started.json().get("secret").asText());
            Reply confirmed = send("POST", "/accounts/users/me/mfa/totp/confirm", json("code", nextCode()));
            assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
            recoveryCodes = new ArrayList<>();
            confirmed.json().get("recovery_codes").forEach(c -> recoveryCodes.add(c.asText()));
            return this;
        }

        /** The app's code after moving the clock on a step, so no code is reused by accident. */
        String nextCode() {
            fixture.clock.advance(Duration.ofSeconds(30));
            return app.code(fixture.clock);
        }

        /** Adds a passkey on {@code authenticator}. */
        User withPasskey(SoftAuthenticator authenticator) throws Exception {
            Reply options = send("POST", "/accounts/users/me/passkeys/options", json("password", PASSWORD));
            ObjectNode body = JSON.createObjectNode().put("ceremony_id", options.json().get("ceremony_id").asText());
            body.set("credential", JSON.readTree(authenticator.register(options.json().get("options").toString())));
            Reply added = send("POST", "/accounts/users/me/passkeys", body.toString());
            assertThat(added.status()).as(added.body()).isEqualTo(201);
            return this;
        }

        String mfaToken() {
            Reply r = server.send("POST", "/accounts/sessions", json("email", email, "password", PASSWORD), null);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            return r.json().at("/mfa/mfa_token").asText();
        }
    }

    private static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).isEqualTo(code);
    }

    @Test
    void enrolConfirmAndSignInInTwoSteps() {
        User u = new User();
        Reply started = u.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD));
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().get("secret").asText()).matches("[A-Z2-7]{32}");
        assertThat(started.json().get("otpauth_uri").asText()).startsWith("otpauth://totp/accounts:")
                .contains("secret=" + started.json().get("secret").asText(), "issuer=accounts", "algorithm=SHA1",
                        "digits=6", "period=30");
        assertThat(u.send("GET", "/accounts/users/me", null).json().at("/user/mfa_enabled").asBoolean()).isFalse();
        u.app = new Authenticator(started.json().get("secret").asText());
        assertProblem(u.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code", "12345")), 401,
                "invalid_mfa_code");
        Reply confirmed = u.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code", u.nextCode()));
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.json().get("recovery_codes")).hasSize(10);
        assertThat(u.send("GET", "/accounts/users/me", null).json().at("/user/mfa_enabled").asBoolean()).isTrue();

        Reply first = server.send("POST", "/accounts/sessions", json("email", u.email, "password", PASSWORD), null);
        assertThat(first.status()).isEqualTo(202);
        assertThat(fieldNames(first.json())).containsExactly("mfa");
        JsonNode mfa = first.json().get("mfa");
        assertThat(fieldNames(mfa)).containsExactlyInAnyOrder("mfa_token", "methods", "expires_at");
        assertThat(mfa.get("methods")).extracting(JsonNode::asText).containsExactly("totp", "recovery_code");
        Reply second = server.send("POST", "/accounts/sessions/mfa", json("mfa_token",
                mfa.get("mfa_token").asText(), "code", u.nextCode()), null);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.json().at("/user/mfa_enabled").asBoolean()).isTrue();
        String token = second.json().at("/session/session_token").asText();
        assertThat(server.get("/accounts/users/me", token).status()).isEqualTo(200);
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", mfa.get("mfa_token").asText(),
                "code", u.nextCode()), null), 401, "invalid_mfa_token");
    }

    @Test
    void everyRefusalOfTheSecondStepIsItsProblem() {
        User u = new User().enrolled();
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", "nope", "code", "123456"),
                null), 401, "invalid_mfa_token");
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("code", 123456), null), 400,
                "validation_failed");
        String used = u.nextCode();
        assertThat(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", u.mfaToken(), "code", used), null)
                .status()).isEqualTo(201);
        Reply replay = server.send("POST", "/accounts/sessions/mfa", json("mfa_token", u.mfaToken(), "code", used),
                null);
        assertProblem(replay, 401, "invalid_mfa_code");
        assertThat(replay.header("WWW-Authenticate")).isNotNull();
        String recovery = u.recoveryCodes.get(0);
        assertThat(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", u.mfaToken(), "code", recovery),
                null).status()).isEqualTo(201);
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", u.mfaToken(), "code",
                recovery), null), 401, "invalid_mfa_code");
    }

    @Test
    void fiveWrongCodesKillTheTokenAndTheThrottleAnswers429() {
        User u = new User().enrolled();
        String token = u.mfaToken();
        for (int i = 0; i < 4; i++) {
            assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", token, "code", "000000"),
                    null), 401, "invalid_mfa_code");
        }
        String other = u.mfaToken();
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", token, "code", "000000"),
                null), 401, "invalid_mfa_code"); // the fifth: the token is dead, and the throttle's limit reached
        Reply throttled = server.send("POST", "/accounts/sessions/mfa", json("mfa_token", other, "code",
                u.app.code(fixture.clock, 1)), null);
        assertProblem(throttled, 429, "throttled");
        assertThat(throttled.header("Retry-After")).isNotNull();
        fixture.clock.advance(Duration.ofHours(1));
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", token, "code", u.nextCode()),
                null), 401, "invalid_mfa_token");
    }

    @Test
    void theManagementRoutesCheckThePasswordAndTheState() {
        User off = new User();
        assertProblem(off.send("POST", "/accounts/users/me/mfa/totp", json("password", "not the password at all")),
                403, "wrong_password");
        assertProblem(off.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code", "123456")), 409,
                "mfa_not_enabled");
        assertProblem(off.send("POST", "/accounts/users/me/mfa/recovery-codes", json("password", PASSWORD)), 409,
                "mfa_not_enabled");
        assertProblem(off.send("DELETE", "/accounts/users/me/mfa/totp", json("password", PASSWORD, "code",
                "123456")), 409, "mfa_not_enabled");
        assertProblem(server.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD), null), 401,
                "unauthenticated");
        assertProblem(off.send("POST", "/accounts/users/me/mfa/totp", "{}"), 400, "validation_failed");

        User on = new User().enrolled();
        assertProblem(on.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD)), 409,
                "mfa_already_enabled");
        assertProblem(on.send("POST", "/accounts/users/me/mfa/recovery-codes", json("password", "wrong wrong wrong")),
                403, "wrong_password");
        Reply fresh = on.send("POST", "/accounts/users/me/mfa/recovery-codes", json("password", PASSWORD));
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.json().get("recovery_codes")).hasSize(10);
        assertProblem(on.send("DELETE", "/accounts/users/me/mfa/totp", json("password", PASSWORD, "code",
                on.recoveryCodes.get(0))), 401, "invalid_mfa_code"); // the old set stopped working
        assertProblem(on.send("DELETE", "/accounts/users/me/mfa/totp", json("password", "wrong wrong wrong", "code",
                on.nextCode())), 403, "wrong_password");
        Reply disabled = on.send("DELETE", "/accounts/users/me/mfa/totp", json("password", PASSWORD, "code",
                on.nextCode()));
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(204);
        assertThat(server.send("POST", "/accounts/sessions", json("email", on.email, "password", PASSWORD), null)
                .status()).isEqualTo(201);
    }

    @Test
    void cookieTransportWorksThroughTheSecondStep() {
        User u = new User().enrolled();
        Reply r = server.send("POST", "/accounts/sessions/mfa", json("mfa_token", u.mfaToken(), "code",
                u.nextCode()), null, "X-Session-Transport", "cookie");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.raw().headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-accounts_session="))
                .anyMatch(c -> c.startsWith("__Secure-accounts_refresh="));
        assertThat(fieldNames(r.json().get("session"))).containsExactlyInAnyOrder("id", "expires_at",
                "refresh_expires_at", "csrf_token");
    }

    @Test
    void withoutATotpKeyTheRoutesAnswer404() {
        User u = new User();
        for (String[] route : List.of(new String[]{"POST", "/users/me/mfa/totp", json("password", PASSWORD)},
                new String[]{"POST", "/users/me/mfa/totp/confirm", json("code", "123456")},
                new String[]{"DELETE", "/users/me/mfa/totp", json("password", PASSWORD, "code", "123456")},
                new String[]{"POST", "/users/me/mfa/recovery-codes", json("password", PASSWORD)},
                new String[]{"POST", "/sessions/mfa", json("mfa_token", "x", "code", "123456")})) {
            assertProblem(u.send(route[0], "/keyless" + route[1], route[2]), 404, "not_found");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The passkey second step of {@code mfaToken}: options, then the assertion {@code authenticator} gives. */
    private Reply passkeyStep(String mfaToken, SoftAuthenticator authenticator, String... headers) throws Exception {
        Reply options = server.send("POST", "/accounts/sessions/mfa/passkey-options", json("mfa_token", mfaToken),
                null);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        ObjectNode body = JSON.createObjectNode().put("mfa_token", mfaToken)
                .put("ceremony_id", options.json().get("ceremony_id").asText());
        body.set("credential", JSON.readTree(authenticator.assertion(options.json().get("options").toString())));
        return server.send("POST", "/accounts/sessions/mfa", body.toString(), null, headers);
    }

    @Test
    void aPasskeyCompletesTheSecondStepInCookieModeToo() throws Exception {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        User u = new User().enrolled().withPasskey(authenticator);
        Reply first = server.send("POST", "/accounts/sessions", json("email", u.email, "password", PASSWORD), null);
        assertThat(first.json().at("/mfa/methods")).extracting(JsonNode::asText)
                .containsExactly("totp", "recovery_code", "passkey");
        String mfaToken = first.json().at("/mfa/mfa_token").asText();
        Reply options = server.send("POST", "/accounts/sessions/mfa/passkey-options", json("mfa_token", mfaToken),
                null);
        assertThat(fieldNames(options.json())).containsExactlyInAnyOrder("ceremony_id", "options");
        assertThat(options.json().at("/options/allowCredentials/0/id").asText()).isEqualTo(authenticator.last().id());

        Reply done = passkeyStep(mfaToken, authenticator);
        assertThat(done.status()).as(done.body()).isEqualTo(201);
        assertThat(done.json().at("/user/email").asText()).isEqualTo(u.email);
        assertThat(done.json().at("/session/session_token").asText()).isNotEmpty();

        Reply cookie = passkeyStep(u.mfaToken(), authenticator, "X-Session-Transport", "cookie");
        assertThat(cookie.status()).as(cookie.body()).isEqualTo(201);
        assertThat(cookie.json().get("session").has("session_token")).isFalse();
        assertThat(cookie.json().at("/session/csrf_token").asText()).isNotEmpty();
        assertThat(cookie.raw().headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("__Host-accounts_session=").contains("HttpOnly"));
    }

    @Test
    void aCeremonyOfOneMfaTokenIsAWrongCodeForAnotherOfTheSameUser() throws Exception {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        User u = new User().enrolled().withPasskey(authenticator);
        String first = u.mfaToken();
        String second = u.mfaToken();
        Reply options = server.send("POST", "/accounts/sessions/mfa/passkey-options", json("mfa_token", first),
                null);
        ObjectNode body = JSON.createObjectNode().put("mfa_token", second)
                .put("ceremony_id", options.json().get("ceremony_id").asText());
        body.set("credential", JSON.readTree(authenticator.assertion(options.json().get("options").toString())));

        assertProblem(server.send("POST", "/accounts/sessions/mfa", body.toString(), null), 401, "invalid_mfa_code");
        assertThat(passkeyStep(first, authenticator).status()).isEqualTo(201);
        assertThat(passkeyStep(second, authenticator).status()).isEqualTo(201);
    }

    @Test
    void everyRefusalOfThePasskeyStepIsItsProblem() throws Exception {
        SoftAuthenticator mine = TestAccounts.authenticator();
        SoftAuthenticator theirs = TestAccounts.authenticator();
        User u = new User().enrolled().withPasskey(mine);
        new User().withPasskey(theirs);
        assertProblem(server.send("POST", "/accounts/sessions/mfa/passkey-options", json("mfa_token", "nope"), null),
                401, "invalid_mfa_token");
        assertProblem(server.send("POST", "/accounts/sessions/mfa/passkey-options", json("mfa_token", 7), null),
                400, "validation_failed");
        assertProblem(server.send("POST", "/keyless/sessions/mfa/passkey-options", json("mfa_token", "nope"), null),
                404, "not_found");

        String mfaToken = u.mfaToken();
        assertProblem(passkeyStep(mfaToken, theirs), 401, "invalid_mfa_code");
        mine.origin = "https://evil.example";
        assertProblem(passkeyStep(mfaToken, mine), 401, "invalid_mfa_code");
        mine.origin = "https://accounts.test";
        assertProblem(server.send("POST", "/accounts/sessions/mfa", json("mfa_token", mfaToken, "ceremony_id",
                "x".repeat(43), "credential", "{}"), null), 400, "validation_failed"); // credential is an object
        ObjectNode unknown = JSON.createObjectNode().put("mfa_token", mfaToken).put("ceremony_id", "x".repeat(43));
        unknown.putObject("credential");
        assertProblem(server.send("POST", "/accounts/sessions/mfa", unknown.toString(), null), 400,
                "invalid_ceremony");
        assertThat(passkeyStep(mfaToken, mine).status()).isEqualTo(201); // two wrong ones do not kill the token
    }
}
