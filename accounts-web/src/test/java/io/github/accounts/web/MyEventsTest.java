package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /users/me/events} over a real socket; on H2 and on PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@OnEachDatabase
class MyEventsTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final AtomicInteger USERS = new AtomicInteger();

    private TestAccounts fixture;
    private TestServer server;

    @Parameter
    TestDatabase database;

    @BeforeParameterizedClassInvocation
    void start() {
        fixture = new TestAccounts(database);
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).build();
        server = new TestServer(http -> routes.mount(http, "/accounts"));
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
        fixture.close();
    }

    private String signUp(String email) {
        Reply r = server.send("POST", "/accounts/users",
                json("email", email, "fname", "Ada", "lname", "Lovelace", "password", PASSWORD), null,
                "User-Agent", "events-test/1");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("session").get("session_token").asText();
    }

    @Test
    void myEventsComeNewestFirstWithEveryFieldPresent() {
        String email = "events" + USERS.incrementAndGet() + "@example.com";
        String token = signUp(email);
        server.send("POST", "/accounts/sessions", json("email", email, "password", "not the password, no"), null);
        server.send("PATCH", "/accounts/users/me", json("fname", "Grace"), token);

        Reply r = server.send("GET", "/accounts/users/me/events", null, token);

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
        String token = signUp("events" + USERS.incrementAndGet() + "@example.com");
        server.send("PATCH", "/accounts/users/me", json("fname", "Grace"), token);
        server.send("PATCH", "/accounts/users/me", json("fname", "Ada"), token);

        Reply first = server.send("GET", "/accounts/users/me/events?limit=2", null, token);
        long next = first.json().get("next").asLong();
        Reply second = server.send("GET", "/accounts/users/me/events?limit=2&before=" + next, null, token);

        assertThat(first.json().get("events")).hasSize(2);
        assertThat(second.json().get("events")).hasSize(1);
        assertThat(second.json().get("events").get(0).get("type").asText()).isEqualTo("user.signed_up");
        for (String bad : List.of("?limit=0", "?limit=101", "?limit=many", "?before=x", "?before=-1")) {
            Reply r = server.send("GET", "/accounts/users/me/events" + bad, null, token);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.code()).isEqualTo("validation_failed");
        }
        assertThat(server.send("GET", "/accounts/users/me/events", null, null).status()).isEqualTo(401);
    }
}
