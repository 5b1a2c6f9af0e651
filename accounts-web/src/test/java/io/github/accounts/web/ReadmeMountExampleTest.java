package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import spark.Service;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs the first snippet of docs/guide/web.md as written; DocsSnippetsTest checks that the two agree. */
class ReadmeMountExampleTest {

    @Test
    void theReadmeSnippetServes() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            Accounts accounts = fixture.accounts;
            try (TestServer server = new TestServer(http -> mountLikeTheReadme(http, accounts))) {
                String body = json("email", "reader@example.com", "fname", "Rita", "lname", "Reader",
                        "password", "plum ferry quartz nine lantern");
                String token = server.send("POST", "/accounts/users", body, null)
                        .json().get("session").get("session_token").asText();
                assertThat(server.send("GET", "/api/greeting", null, token).body()).isEqualTo("Hello, Rita!");
                assertThat(server.send("GET", "/api/greeting", null, null).status()).isEqualTo(401);
            }
        }
    }

    private static void mountLikeTheReadme(Service http, Accounts accounts) {
        // --- docs snippet starts
        JettySettings.defaults().problemJsonUnder("/accounts").applyTo(http);   // before any route
        AccountsRoutes routes = AccountsRoutes.builder(accounts).build();
        routes.mount(http, "/accounts");                  // the whole contract under /accounts
        http.before("/api/*", routes.guard());            // your routes: 401 problem without a valid token
        http.get("/api/greeting", (req, res) -> "Hello, " + AccountsRoutes.current(req).user().fname() + "!");
        // --- docs snippet ends
    }
}
