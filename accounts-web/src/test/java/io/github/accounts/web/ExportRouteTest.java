package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import static io.github.accounts.web.HttpSuite.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /users/me/export} over a real socket: a download of the user's data without any token of theirs. */
@OnEachDatabase
class ExportRouteTest extends HttpSuiteTest {

    @Test
    void aSignedInUserDownloadsTheirDataWithoutAnyToken() {
        Reply signedUp = suite.signUp(HttpSuite.email("exporter"));
        String token = signedUp.json().at("/session/session_token").asText();
        String update = signedUp.json().at("/session/update_token").asText();

        Reply export = suite.send("GET", HttpSuite.PREFIX + "/users/me/export", null, token);

        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/json");
        assertThat(export.header("Content-Disposition")).isEqualTo("attachment; filename=\"accounts-export.json\"");
        assertThat(export.header("Cache-Control")).isEqualTo("no-store");
        JsonNode doc = export.json();
        assertThat(doc.get("user").get("id").asLong()).isEqualTo(signedUp.json().at("/user/id").asLong());
        assertThat(doc.get("events").get(0).get("type").asText()).isEqualTo("user.signed_up");
        assertThat(doc.get("sessions")).hasSize(1);
        assertThat(export.body()).doesNotContain(token).doesNotContain(update).doesNotContain(HttpSuite.PASSWORD);
    }

    @Test
    void withoutASessionItIsUnauthenticated() {
        assertProblem(suite.send("GET", HttpSuite.PREFIX + "/users/me/export", null, null), 401, "unauthenticated");
    }
}
