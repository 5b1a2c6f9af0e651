package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Bodies read strictly, routes without a body refusing one, and every field's error reported at once. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictInputTest {
    private HttpSuite suite;

    @BeforeAll
    void start() {
        suite = HttpSuite.start(TestDatabase.H2, options -> options.allowedOrigins(Set.of("https://app.example.com")));
    }

    @AfterAll
    void stop() {
        suite.close();
    }

    private static String newEmail() {
        return HttpSuite.email("strict");
    }

    private Reply send(String method, String path, String contentType, byte[] body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(suite.base + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return suite.send(b.build());
    }

    /** The field errors of a validation_failed answer, as "field:code". */
    private static List<String> fieldErrors(Reply r) {
        assertProblem(r, 400, "validation_failed");
        List<String> errors = new ArrayList<>();
        for (JsonNode e : r.json().get("errors")) {
            errors.add(e.get("field").asText() + ":" + e.get("code").asText());
        }
        return errors;
    }

    @Test
    void trailingGarbageAfterTheObjectIsMalformedAndCreatesNothing() {
        String email = newEmail();
        String body = json("email", email, "fname", "Ada", "lname", "L", "password", PASSWORD);
        assertProblem(suite.post("/accounts/users", body + " this is not JSON"), 400, "malformed_json");
        assertProblem(suite.post("/accounts/users", body + " {}"), 400, "malformed_json");
        assertThat(suite.post("/accounts/users", body).status()).isEqualTo(201);
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertProblem(suite.post("/accounts/sessions", "{\"email\": \"a@example.com\", \"email\": \"b@example.com\", "
                + "\"password\": \"" + PASSWORD + "\"}"), 400, "malformed_json");
        assertProblem(suite.post("/accounts/sessions", "{\"email\": \"a@example.com\", \"password\": \"x\", "
                + "\"extra\": {\"k\": 1, \"k\": 2}}"), 400, "malformed_json");
    }

    @Test
    void loneSurrogatesAreRefusedNotTurnedIntoQuestionMarks() {
        String email = newEmail();
        assertProblem(suite.post("/accounts/users", "{\"email\": \"" + email + "\", \"fname\": \"Ada\", \"lname\": \"L\", "
                + "\"password\": \"\\ud800" + PASSWORD + "\"}"), 400, "malformed_json");
        assertProblem(suite.post("/accounts/users", "{\"email\": \"" + email + "\", \"fname\": \"\\udc00\", \"lname\": \"L\", "
                + "\"password\": \"" + PASSWORD + "\"}"), 400, "malformed_json");
        ByteArrayOutputStream cesu = new ByteArrayOutputStream(); // a surrogate encoded as if it were a character
        cesu.writeBytes(("{\"email\": \"" + email + "\", \"password\": \"").getBytes(StandardCharsets.UTF_8));
        cesu.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
        cesu.writeBytes((PASSWORD + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(send("POST", "/accounts/sessions", "application/json", cesu.toByteArray(), null).status())
                .isEqualTo(400);
        String pair = "\\ud83d\\ude00"; // a well-formed pair is a character like any other
        assertThat(suite.post("/accounts/users", "{\"email\": \"" + email + "\", \"fname\": \"Ada " + pair + "\", "
                + "\"lname\": \"L\", \"password\": \"" + PASSWORD + "\"}").status()).isEqualTo(201);
    }

    @Test
    void routesWithoutABodyTakeAnEmptyOneAndRefuseAnyOtherBeforeDoingAnything() {
        String token = suite.signUpToken(newEmail());
        byte[] small = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] large = ("{\"a\": \"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(send("POST", "/accounts/email-verifications", "application/json", new byte[0], token).status())
                .isEqualTo(202);
        assertProblem(send("POST", "/accounts/email-verifications", "application/json", small, token), 415,
                "unsupported_media_type");
        assertProblem(send("POST", "/accounts/email-verifications", "text/plain", "hello".getBytes(), token), 415,
                "unsupported_media_type");
        assertProblem(send("POST", "/accounts/email-verifications", "text/plain", large, token), 413,
                "payload_too_large");
        assertProblem(send("GET", "/accounts/users/me", "application/json", small, token), 415,
                "unsupported_media_type");
        assertProblem(send("GET", "/accounts/sessions", null, small, token), 415, "unsupported_media_type");
        for (String path : List.of("/accounts/sessions/current", "/accounts/sessions/1", "/accounts/sessions")) {
            assertProblem(send("DELETE", path, "application/json", small, token), 415, "unsupported_media_type");
            assertProblem(send("DELETE", path, "application/json", large, token), 413, "payload_too_large");
        }
        assertThat(suite.send("GET", "/accounts/users/me", null, token).status()).isEqualTo(200);
        assertThat(send("DELETE", "/accounts/sessions/current", null, new byte[0], token).status()).isEqualTo(204);
        assertThat(suite.send("GET", "/accounts/users/me", null, token).status()).isEqualTo(401);
    }

    @Test
    void answersWithoutABodyHaveNoContentType() {
        String email = newEmail();
        String token = suite.signUpToken(email);
        Reply accepted = suite.post("/accounts/password-resets", json("email", email));
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.header("Content-Type")).isNull();
        assertThat(accepted.header("Cache-Control")).isEqualTo("no-store");
        Reply preflight = suite.send("OPTIONS", "/accounts/users/me", null, null, "Origin", "https://app.example.com",
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Content-Type")).isNull();
        Reply signedOut = suite.send("DELETE", "/accounts/sessions/current", null, token);
        assertThat(signedOut.status()).isEqualTo(204);
        assertThat(signedOut.header("Content-Type")).isNull();
    }

    @Test
    void theOpenApiDocumentIsNotCachedLikeEveryOtherAnswer() {
        Reply r = suite.send("GET", "/accounts/openapi.json", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void aMissingFieldIsAlwaysRequired() {
        assertThat(fieldErrors(suite.post("/accounts/sessions/refresh", "{}"))).containsExactly("update_token:required");
        assertThat(fieldErrors(suite.post("/accounts/password-resets/confirm", "{}")))
                .containsExactlyInAnyOrder("token:required", "new_password:required");
        assertThat(fieldErrors(suite.post("/accounts/email-verifications/confirm", "{}"))).containsExactly("token:required");
        assertThat(fieldErrors(suite.post("/accounts/password-resets", "{}"))).containsExactly("email:required");
        assertThat(fieldErrors(suite.post("/accounts/sessions", "{}")))
                .containsExactlyInAnyOrder("email:required", "password:required");
        assertThat(fieldErrors(suite.post("/accounts/password-resets/confirm", json("new_password", "short"))))
                .containsExactlyInAnyOrder("token:required", "new_password:password_too_weak");
    }

    @Test
    void aTypeErrorInOneFieldDoesNotHideTheOthersErrors() {
        assertThat(fieldErrors(suite.post("/accounts/users", "{\"email\": 5, \"fname\": \" \", \"lname\": \""
                + "x".repeat(129) + "\", \"password\": \"short\"}")))
                .containsExactlyInAnyOrder("email:invalid", "fname:required", "lname:too_long", "password:password_too_weak");
        assertThat(fieldErrors(suite.post("/accounts/users", "{\"email\": \"" + newEmail() + "\", \"fname\": [\"Ada\"], "
                + "\"lname\": \"L\", \"password\": \"" + PASSWORD + "\"}"))).containsExactly("fname:invalid");
        assertThat(fieldErrors(suite.post("/accounts/sessions", "{\"email\": 5, \"password\": \"\"}")))
                .containsExactlyInAnyOrder("email:invalid", "password:required");
        assertThat(fieldErrors(suite.post("/accounts/password-resets/confirm", "{\"token\": 5, \"new_password\": \"short\"}")))
                .containsExactlyInAnyOrder("token:invalid", "new_password:password_too_weak");
        assertThat(fieldErrors(suite.post("/accounts/sessions/refresh", "{\"update_token\": 5}")))
                .containsExactly("update_token:invalid");
    }

    @Test
    void aTypeErrorChangesNothing() {
        String token = suite.signUpToken(newEmail());
        assertThat(fieldErrors(suite.send("PATCH", "/accounts/users/me", "{\"fname\": 5, \"lname\": \"\\u0007\"}", token)))
                .containsExactlyInAnyOrder("fname:invalid", "lname:invalid");
        assertThat(fieldErrors(suite.send("PATCH", "/accounts/users/me", "{\"fname\": 5, \"lname\": \"Changed\"}", token)))
                .containsExactly("fname:invalid");
        assertThat(fieldErrors(suite.send("PUT", "/accounts/users/me/password",
                "{\"current_password\": 5, \"new_password\": \"a different long passphrase 42\"}", token)))
                .containsExactly("current_password:invalid");
        assertThat(fieldErrors(suite.send("DELETE", "/accounts/users/me", "{\"password\": true}", token)))
                .containsExactly("password:invalid");
        JsonNode me = suite.send("GET", "/accounts/users/me", null, token).json().get("user");
        assertThat(me.get("lname").asText()).isEqualTo("Lovelace");
        assertThat(me.get("fname").asText()).isEqualTo("Ada");
    }
}
