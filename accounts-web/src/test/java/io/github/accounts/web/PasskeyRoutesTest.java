package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.Accounts;
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

/** The passkey routes over a real socket, against a software authenticator; on H2 and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnEachDatabase
class PasskeyRoutesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestAccounts fixture;
    private TestServer server;

    @Parameter
    TestDatabase database;

    @BeforeParameterizedClassInvocation
    void start() {
        fixture = new TestAccounts(database);
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).csrfKey(new byte[32]).clock(fixture.clock)
                .build();
        server = new TestServer(http -> routes.mount(http, "/accounts"));
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
        fixture.close();
    }

    /** A new user with a verified email, as adding a passkey needs; the session token. */
    private String signUp() {
        String email = "passkeys" + USERS.incrementAndGet() + "." + ProcessHandle.current().pid() + "@example.com";
        Reply r = server.send("POST", "/accounts/users", json("email", email, "fname", "Ada", "lname", "Lovelace",
                "password", PASSWORD), null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String token = r.json().get("session").get("session_token").asText();
        server.verifyEmail(fixture, "/accounts", email, token);
        return token;
    }

    /**
     * Adds a passkey on {@code authenticator} for the user of {@code token}, the password given inline as the recent
     * proof; returns the 201 answer.
     */
    private Reply addPasskey(String token, SoftAuthenticator authenticator, String name) throws Exception {
        Reply options = server.send("POST", "/accounts/users/me/passkeys/options", json("password", PASSWORD), token);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        ObjectNode body = JSON.createObjectNode().put("ceremony_id", options.json().get("ceremony_id").asText());
        body.set("credential", JSON.readTree(authenticator.register(options.json().get("options").toString())));
        if (name != null) {
            body.put("name", name);
        }
        return server.send("POST", "/accounts/users/me/passkeys", body.toString(), token);
    }

    private Reply signIn(SoftAuthenticator authenticator, String... headers) throws Exception {
        Reply options = server.send("POST", "/accounts/sessions/passkey-options", null, null);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        ObjectNode body = JSON.createObjectNode().put("ceremony_id", options.json().get("ceremony_id").asText());
        body.set("credential", JSON.readTree(authenticator.assertion(options.json().get("options").toString())));
        return server.send("POST", "/accounts/sessions/passkey", body.toString(), null, headers);
    }

    private static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).isEqualTo(code);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aPasskeyIsAddedListedRenamedAndSignsInAlone() throws Exception {
        String token = signUp();
        SoftAuthenticator authenticator = TestAccounts.authenticator();

        Reply added = addPasskey(token, authenticator, "My phone");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode passkey = added.json().get("passkey");
        assertThat(fieldNames(passkey)).containsExactlyInAnyOrder("id", "name", "created_at", "last_used_at",
                "transports");
        assertThat(passkey.get("name").asText()).isEqualTo("My phone");
        assertThat(passkey.get("last_used_at").isNull()).isTrue();
        assertThat(passkey.get("created_at").asText()).endsWith("Z");
        String id = passkey.get("id").asText();

        Reply renamed = server.send("PATCH", "/accounts/users/me/passkeys/" + id, json("name", "Work phone"), token);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("passkey").get("name").asText()).isEqualTo("Work phone");

        Reply in = signIn(authenticator);
        assertThat(in.status()).as(in.body()).isEqualTo(201);
        assertThat(fieldNames(in.json())).containsExactlyInAnyOrder("user", "session");
        String passkeyToken = in.json().get("session").get("session_token").asText();
        Reply listed = server.send("GET", "/accounts/users/me/passkeys", null, passkeyToken);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("passkeys")).singleElement().satisfies(p -> {
            assertThat(p.get("name").asText()).isEqualTo("Work phone");
            assertThat(p.get("last_used_at").asText()).endsWith("Z");
        });
        JsonNode events = server.send("GET", "/accounts/users/me/events", null, passkeyToken).json().get("events");
        assertThat(events.get(0).get("type").asText()).isEqualTo("session.signed_in");
        assertThat(events.get(0).get("detail").get("method").asText()).isEqualTo("passkey");
        assertThat(events.get(1).get("type").asText()).isEqualTo("passkey.added");
    }

    @Test
    void aPasskeySignInInCookieModeSetsTheCookiesAndHidesTheTokens() throws Exception {
        String token = signUp();
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        addPasskey(token, authenticator, null);

        Reply in = signIn(authenticator, "X-Session-Transport", "cookie");

        assertThat(in.status()).as(in.body()).isEqualTo(201);
        JsonNode session = in.json().get("session");
        assertThat(session.has("session_token")).isFalse();
        assertThat(session.has("update_token")).isFalse();
        assertThat(session.get("csrf_token").asText()).isNotEmpty();
        assertThat(in.raw().headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("__Host-accounts_session=").contains("HttpOnly"));
    }

    @Test
    void refusalsAreTheContractsProblems() throws Exception {
        String token = signUp();
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        String id = addPasskey(token, authenticator, null).json().get("passkey").get("id").asText();

        SoftAuthenticator elsewhere = new SoftAuthenticator("https://evil.example", "accounts.test");
        assertProblem(addPasskey(token, elsewhere, null), 400, "invalid_webauthn_response");
        authenticator.origin = "https://evil.example";
        assertProblem(signIn(authenticator), 401, "invalid_credentials");
        assertProblem(server.send("POST", "/accounts/sessions/passkey",
                json("ceremony_id", "not-a-ceremony", "credential", JSON.createObjectNode()), null), 400,
                "invalid_ceremony");
        Reply typed = server.send("POST", "/accounts/sessions/passkey",
                json("ceremony_id", "x", "credential", "a string"), null);
        assertProblem(typed, 400, "validation_failed");
        assertThat(typed.json().get("errors").findValuesAsText("field")).containsExactly("credential");

        String other = signUp();
        assertProblem(server.send("PATCH", "/accounts/users/me/passkeys/" + id, json("name", "Mine"), other), 404,
                "not_found");
        assertProblem(server.send("DELETE", "/accounts/users/me/passkeys/" + id, null, other), 404, "not_found");
        assertProblem(server.send("DELETE", "/accounts/users/me/passkeys/abc", null, token), 404, "not_found");
        assertProblem(server.send("GET", "/accounts/users/me/passkeys", null, null), 401, "unauthenticated");
        assertThat(server.send("DELETE", "/accounts/users/me/passkeys/" + id, null, token).status()).isEqualTo(204);
    }

    @Test
    void passwordlessSignInOptionsAreThrottledPerClientAddress() {
        Reply r = null;
        int answered = 0;
        while (answered <= 30) {
            r = server.send("POST", "/accounts/sessions/passkey-options", null, null);
            if (r.status() != 200) {
                break;
            }
            answered++;
        }
        assertProblem(r, 429, "throttled");
        assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 60);
        fixture.clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // the other tests sign in from here too
        assertThat(server.send("POST", "/accounts/sessions/passkey-options", null, null).status()).isEqualTo(200);
    }

    @Test
    void withoutARelyingPartyThePasskeyRoutesAre404() {
        try (Accounts plain = Accounts.builder(fixture.emf).secret(TestAccounts.SECRET).config(fixture.accounts.config()).build();
             TestServer bare = new TestServer(http -> AccountsRoutes.builder(plain).build().mount(http, "/accounts"))) {
            Reply signedUp = bare.send("POST", "/accounts/users", json("email", "nopasskeys" + USERS.incrementAndGet()
                    + "@example.com", "fname", "Ada", "lname", "Lovelace", "password", PASSWORD), null);
            String token = signedUp.json().get("session").get("session_token").asText();

            assertProblem(bare.send("POST", "/accounts/sessions/passkey-options", null, null), 404, "not_found");
            assertProblem(bare.send("GET", "/accounts/users/me/passkeys", null, token), 404, "not_found");
            assertProblem(bare.send("POST", "/accounts/users/me/passkeys/options", null, token), 404, "not_found");
        }
    }
}
