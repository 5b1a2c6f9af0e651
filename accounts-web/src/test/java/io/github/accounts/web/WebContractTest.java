package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every route of the contract over a real socket, on H2 and on PostgreSQL. */
@OnEachDatabase
class WebContractTest extends HttpSuiteTest {
    @Override
    HttpSuite startSuite(TestDatabase database) {
        return HttpSuite.start(database, options -> options, (http, routes, fixture) -> {
            http.get("/", (req, res) -> "host home");
            routes.mount(http, "/accounts");
            http.before("/api/*", routes.guard());
            http.get("/api/greeting", (req, res) -> "Hello, " + AccountsRoutes.current(req).user().fname());
        });
    }

    /** A signed-up user: email, session token, update token, session id. */
    record Signed(String email, String token, String updateToken, long sessionId) {
    }

    private Signed signUp() {
        String email = HttpSuite.email("user");
        JsonNode s = suite.signUp(email).json().get("session");
        return new Signed(email, s.get("session_token").asText(), s.get("update_token").asText(), s.get("id").asLong());
    }

    private Signed signIn(String email) {
        Reply r = suite.post("/accounts/sessions", json("email", email, "password", PASSWORD));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode s = r.json().get("session");
        return new Signed(email, s.get("session_token").asText(), s.get("update_token").asText(), s.get("id").asLong());
    }

    private static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.has("type") && p.has("title") && p.has("detail")).isTrue();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void signUpAnswersUserAndSessionWithExactlyTheContractFields() {
        String email = "  " + HttpSuite.email("Shape").replace("@example.com", "@Example.COM") + " ";
        Reply r = suite.post("/accounts/users", json("email", email, "fname", "Ada", "lname", "Lovelace", "password", PASSWORD));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode user = r.json().get("user");
        assertThat(fieldNames(r.json())).containsExactlyInAnyOrder("user", "session");
        assertThat(fieldNames(user)).containsExactlyInAnyOrder("id", "email", "fname", "lname", "email_verified",
                "created_at", "updated_at", "mfa_enabled", "has_password");
        assertThat(user.get("email").asText()).isEqualTo(email.strip().toLowerCase());
        assertThat(user.get("email_verified").asBoolean()).isFalse();
        assertThat(user.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        JsonNode session = r.json().get("session");
        assertThat(fieldNames(session)).containsExactlyInAnyOrder("id", "session_token", "update_token", "expires_at",
                "refresh_expires_at");
        assertThat(session.get("session_token").asText()).matches("[A-Za-z0-9_-]{43,}");
    }

    @Test
    void signUpRejectsInvalidFieldsAllAtOnce() {
        Reply r = suite.post("/accounts/users", json("email", "not-an-email", "fname", " ", "lname", "x".repeat(129),
                "password", "short"));
        assertProblem(r, 400, "validation_failed");
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("email", "fname", "lname", "password");
        r.json().get("errors").forEach(e -> {
            if (e.get("field").asText().equals("password")) {
                assertThat(e.get("code").asText()).isEqualTo("password_too_weak");
            }
        });
    }

    @Test
    void signUpWithATakenEmailIsAConflict() {
        Signed a = signUp();
        Reply r = suite.post("/accounts/users", json("email", a.email().toUpperCase(), "fname", "B", "lname", "C",
                "password", PASSWORD));
        assertProblem(r, 409, "email_taken");
    }

    @Test
    void wrongTypesAreFieldErrors() {
        Reply r = suite.post("/accounts/sessions", "{\"email\": 5, \"password\": [\"x\"]}");
        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").size()).isEqualTo(2);
    }

    @Test
    void bodiesThatAreNotJsonObjectsAreMalformed() {
        assertProblem(suite.post("/accounts/sessions", "not json"), 400, "malformed_json");
        assertProblem(suite.post("/accounts/sessions", "[1, 2]"), 400, "malformed_json");
        assertProblem(suite.post("/accounts/sessions", "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}"), 400,
                "malformed_json");
    }

    @Test
    void bodiesWithoutJsonContentTypeAreRefused() {
        Reply form = suite.send(HttpRequest.newBuilder(URI.create(suite.base + "/accounts/sessions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=a&password=b")).build());
        assertProblem(form, 415, "unsupported_media_type");
        Reply charset = suite.send(HttpRequest.newBuilder(URI.create(suite.base + "/accounts/sessions"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json("email", "nobody@example.com", "password", "x"))).build());
        assertThat(charset.status()).isEqualTo(401);
    }

    @Test
    void bodiesOverSixtyFourKibibytesAreRefusedEvenWithoutAContentLength() {
        String big = json("email", "a@example.com", "password", "x".repeat(70_000));
        assertProblem(suite.post("/accounts/sessions", big), 413, "payload_too_large");
        Reply chunked = suite.send(HttpRequest.newBuilder(URI.create(suite.base + "/accounts/sessions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build());
        assertProblem(chunked, 413, "payload_too_large");
    }

    @Test
    void signInGivesEachDeviceItsOwnSession() {
        Signed a = signUp();
        Signed second = signIn(a.email());
        assertThat(second.sessionId()).isNotEqualTo(a.sessionId());
        Reply list = suite.send("GET", "/accounts/sessions", null, a.token());
        assertThat(list.json().get("sessions")).hasSize(2);
    }

    @Test
    void unknownEmailAndWrongPasswordGetTheSameAnswer() {
        Signed a = signUp();
        Reply wrong = suite.post("/accounts/sessions", json("email", a.email(), "password", "wrong password entirely"));
        Reply unknown = suite.post("/accounts/sessions", json("email", "nobody" + a.email(), "password", "wrong password entirely"));
        assertProblem(wrong, 401, "invalid_credentials");
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void repeatedFailuresAreThrottledWithRetryAfter() {
        Signed a = signUp();
        for (int i = 0; i < 5; i++) {
            assertThat(suite.post("/accounts/sessions", json("email", a.email(), "password", "nope nope nope")).status())
                    .isEqualTo(401);
        }
        Reply r = suite.post("/accounts/sessions", json("email", a.email(), "password", PASSWORD));
        assertProblem(r, 429, "throttled");
        assertThat(Integer.parseInt(r.header("Retry-After"))).isPositive();
    }

    @Test
    void refreshRotatesBothTokensAndTheOldPairStopsWorking() {
        Signed a = signUp();
        Reply r = suite.post("/accounts/sessions/refresh", json("update_token", a.updateToken()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode s = r.json().get("session");
        assertThat(fieldNames(r.json())).containsExactly("session");
        assertThat(s.get("session_token").asText()).isNotEqualTo(a.token());
        assertThat(suite.send("GET", "/accounts/users/me", null, s.get("session_token").asText()).status()).isEqualTo(200);
        assertProblem(suite.send("GET", "/accounts/users/me", null, a.token()), 401, "unauthenticated");
        assertProblem(suite.post("/accounts/sessions/refresh", json("update_token", a.updateToken())), 401,
                "invalid_update_token");
    }

    @Test
    void missingAndInvalidTokensGetBearerChallenges() {
        Reply missing = suite.send("GET", "/accounts/users/me", null, null);
        assertProblem(missing, 401, "unauthenticated");
        assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
        Reply invalid = suite.send("GET", "/accounts/users/me", null, "not-a-real-token");
        assertProblem(invalid, 401, "unauthenticated");
        assertThat(invalid.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    }

    @Test
    void signOutEndsOnlyThisSession() {
        Signed a = signUp();
        Signed other = signIn(a.email());
        assertThat(suite.send("DELETE", "/accounts/sessions/current", null, a.token()).status()).isEqualTo(204);
        assertProblem(suite.send("GET", "/accounts/users/me", null, a.token()), 401, "unauthenticated");
        assertThat(suite.send("GET", "/accounts/users/me", null, other.token()).status()).isEqualTo(200);
    }

    @Test
    void sessionsListMarksTheCurrentOneAndRevokesOnlyMine() {
        Signed a = signUp();
        Signed a2 = signIn(a.email());
        Signed b = signUp();
        JsonNode sessions = suite.send("GET", "/accounts/sessions", null, a.token()).json().get("sessions");
        assertThat(sessions).hasSize(2);
        for (JsonNode s : sessions) {
            assertThat(fieldNames(s)).containsExactlyInAnyOrder("id", "created_at", "last_used_at", "expires_at",
                    "user_agent", "ip", "current");
            assertThat(s.get("current").asBoolean()).isEqualTo(s.get("id").asLong() == a.sessionId());
            assertThat(s.get("ip").asText()).isEqualTo("127.0.0.1");
        }
        assertProblem(suite.send("DELETE", "/accounts/sessions/" + b.sessionId(), null, a.token()), 404, "not_found");
        assertProblem(suite.send("DELETE", "/accounts/sessions/abc", null, a.token()), 404, "not_found");
        assertThat(suite.send("GET", "/accounts/users/me", null, b.token()).status()).isEqualTo(200);
        assertThat(suite.send("DELETE", "/accounts/sessions/" + a2.sessionId(), null, a.token()).status()).isEqualTo(204);
        assertThat(suite.send("GET", "/accounts/users/me", null, a2.token()).status()).isEqualTo(401);
    }

    @Test
    void signOutEverywhereEndsEverySessionIncludingThisOne() {
        Signed a = signUp();
        Signed a2 = signIn(a.email());
        assertThat(suite.send("DELETE", "/accounts/sessions", null, a.token()).status()).isEqualTo(204);
        assertThat(suite.send("GET", "/accounts/users/me", null, a.token()).status()).isEqualTo(401);
        assertThat(suite.send("GET", "/accounts/users/me", null, a2.token()).status()).isEqualTo(401);
    }

    @Test
    void profileUpdateMovesUpdatedAtForward() {
        Signed a = signUp();
        JsonNode before = suite.send("GET", "/accounts/users/me", null, a.token()).json().get("user");
        suite.fixture.clock.advance(Duration.ofSeconds(5));
        Reply r = suite.send("PATCH", "/accounts/users/me", json("fname", " Grace "), a.token());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode after = r.json().get("user");
        assertThat(after.get("fname").asText()).isEqualTo("Grace");
        assertThat(after.get("lname").asText()).isEqualTo("Lovelace");
        assertThat(after.get("updated_at").asText()).isGreaterThan(before.get("updated_at").asText());
        assertProblem(suite.send("PATCH", "/accounts/users/me", json("lname", "\u0007"), a.token()), 400,
                "validation_failed");
    }

    @Test
    void passwordChangeRevokesOtherSessionsAndChecksTheCurrentPassword() {
        Signed a = signUp();
        Signed other = signIn(a.email());
        String newPassword = "a different long passphrase 42";
        assertProblem(suite.send("PUT", "/accounts/users/me/password",
                json("current_password", "wrong wrong wrong", "new_password", newPassword), a.token()), 403, "wrong_password");
        Reply r = suite.send("PUT", "/accounts/users/me/password",
                json("current_password", PASSWORD, "new_password", newPassword), a.token());
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(suite.send("GET", "/accounts/users/me", null, a.token()).status()).isEqualTo(200);
        assertThat(suite.send("GET", "/accounts/users/me", null, other.token()).status()).isEqualTo(401);
        assertThat(suite.post("/accounts/sessions", json("email", a.email(), "password", newPassword)).status()).isEqualTo(201);
    }

    @Test
    void deletingTheAccountFreesTheEmail() {
        Signed a = signUp();
        assertProblem(suite.send("DELETE", "/accounts/users/me", json("password", "wrong wrong wrong"), a.token()), 403,
                "wrong_password");
        assertThat(suite.send("DELETE", "/accounts/users/me", json("password", PASSWORD), a.token()).status())
                .isEqualTo(204);
        assertThat(suite.send("GET", "/accounts/users/me", null, a.token()).status()).isEqualTo(401);
        Reply again = suite.post("/accounts/users", json("email", a.email(), "fname", "Ada", "lname", "Lovelace",
                "password", PASSWORD));
        assertThat(again.status()).isEqualTo(201);
    }

    @Test
    void passwordResetAnswersAlikeForUnknownEmailsAndWorksOnce() {
        Signed a = signUp();
        Reply known = suite.post("/accounts/password-resets", json("email", a.email()));
        Reply unknown = suite.post("/accounts/password-resets", json("email", "nobody-" + a.email()));
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(unknown.body()).isEqualTo(known.body());
        String token = suite.fixture.lastMailTo(a.email()).token();
        String newPassword = "reset to this long passphrase";
        assertThat(suite.post("/accounts/password-resets/confirm", json("token", token, "new_password", newPassword)).status())
                .isEqualTo(204);
        assertThat(suite.send("GET", "/accounts/users/me", null, a.token()).status()).isEqualTo(401);
        assertProblem(suite.post("/accounts/password-resets/confirm", json("token", token, "new_password", newPassword)), 400,
                "invalid_token");
        assertThat(suite.post("/accounts/sessions", json("email", a.email(), "password", newPassword)).status()).isEqualTo(201);
    }

    @Test
    void emailVerificationSetsTheFlag() {
        Signed a = signUp();
        assertThat(suite.send("POST", "/accounts/email-verifications", null, a.token()).status()).isEqualTo(202);
        assertProblem(suite.send("POST", "/accounts/email-verifications", null, null), 401, "unauthenticated");
        String token = suite.fixture.lastMailTo(a.email()).token();
        Reply r = suite.post("/accounts/email-verifications/confirm", json("token", token));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("user").get("email_verified").asBoolean()).isTrue();
        assertProblem(suite.post("/accounts/email-verifications/confirm", json("token", token)), 400, "invalid_token");
    }

    @Test
    void unknownRoutesUnderThePrefixAreProblemsAndTheHostKeepsTheRest() {
        assertProblem(suite.send("GET", "/accounts/nope", null, null), 404, "not_found");
        assertProblem(suite.send("GET", "/accounts", null, null), 404, "not_found");
        assertProblem(suite.send("GET", "/accounts/sessions/refresh", null, null), 404, "not_found");
        assertThat(suite.send("GET", "/", null, null).body()).isEqualTo("host home");
        Reply hostMiss = suite.send("GET", "/elsewhere", null, null);
        assertThat(hostMiss.status()).isEqualTo(404);
        assertThat(hostMiss.header("Content-Type")).doesNotContain("problem");
    }

    @Test
    void theGuardProtectsHostRoutes() {
        Reply anonymous = suite.send("GET", "/api/greeting", null, null);
        assertProblem(anonymous, 401, "unauthenticated");
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
        Signed a = signUp();
        Reply r = suite.send("GET", "/api/greeting", null, a.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Hello, Ada");
    }
}
