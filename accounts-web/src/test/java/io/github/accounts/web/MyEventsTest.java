package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /users/me/events} over a real socket; on H2 and on PostgreSQL. */
@OnEachDatabase
class MyEventsTest extends HttpSuiteTest {
    private String signUp(String email) {
        return suite.signUp(email, "User-Agent", "events-test/1").json().at("/session/session_token").asText();
    }

    @Test
    void myEventsComeNewestFirstWithEveryFieldPresent() {
        String email = HttpSuite.email("events");
        String token = signUp(email);
        suite.send("POST", "/accounts/sessions", json("email", email, "password", "not the password, no"), null);
        suite.send("PATCH", "/accounts/users/me", json("fname", "Grace"), token);

        Reply r = suite.send("GET", "/accounts/users/me/events", null, token);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode events = r.json().get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).containsExactly("user.updated", "session.sign_in_failed", "user.signed_up");
        JsonNode signedUp = events.get(2);
        assertThat(signedUp.get("user_agent").asText()).isEqualTo("events-test/1");
        assertThat(signedUp.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(signedUp.get("session_id").isIntegralNumber()).isTrue();
        assertThat(signedUp.get("at").asText()).endsWith("Z");
        assertThat(signedUp.get("detail").isObject()).isTrue();
        JsonNode failed = events.get(1);
        assertThat(failed.has("session_id")).isTrue();
        assertThat(failed.get("session_id").isNull()).isTrue();
        assertThat(r.json().has("next")).isTrue();
        assertThat(r.json().get("next").isNull()).isTrue();
    }

    @Test
    void pagesFollowNextAndBadParametersAreValidationFailed() {
        String token = signUp(HttpSuite.email("events"));
        suite.send("PATCH", "/accounts/users/me", json("fname", "Grace"), token);
        suite.send("PATCH", "/accounts/users/me", json("fname", "Ada"), token);

        Reply first = suite.send("GET", "/accounts/users/me/events?limit=2", null, token);
        long next = first.json().get("next").asLong();
        Reply second = suite.send("GET", "/accounts/users/me/events?limit=2&before=" + next, null, token);

        assertThat(first.json().get("events")).hasSize(2);
        assertThat(second.json().get("events")).hasSize(1);
        assertThat(second.json().get("events").get(0).get("type").asText()).isEqualTo("user.signed_up");
        for (String bad : List.of("?limit=0", "?limit=101", "?limit=many", "?before=x", "?before=-1")) {
            Reply r = suite.send("GET", "/accounts/users/me/events" + bad, null, token);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.code()).isEqualTo("validation_failed");
        }
        assertThat(suite.send("GET", "/accounts/users/me/events", null, null).status()).isEqualTo(401);
    }
}
