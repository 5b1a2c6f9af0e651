package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import spark.Service;

import java.util.Set;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs the admin mount snippet of docs/guide/web.md as written; DocsSnippetsTest checks that the two agree. */
class ReadmeAdminMountExampleTest {

    @Test
    void theReadmeSnippetServesOperatorsOnly() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            Accounts accounts = fixture.accounts;
            try (TestServer server = new TestServer(http -> mountLikeTheReadme(http, accounts))) {
                String body = json("email", "ops@example.com", "fname", "Otto", "lname", "Ops",
                        "password", "plum ferry quartz nine lantern");
                String token = server.send("POST", "/accounts/users", body, null)
                        .json().get("session").get("session_token").asText();
                // listed, but not verified yet
                assertThat(server.send("GET", "/admin/accounts/users", null, token).code())
                        .isEqualTo("email_not_verified");
                String other = server.send("POST", "/accounts/users", body.replace("ops@", "someone@"), null)
                        .json().get("session").get("session_token").asText();
                assertThat(server.send("GET", "/admin/accounts/users", null, other).code()).isEqualTo("forbidden");
                assertThat(server.send("GET", "/admin/accounts/users", null, null).status()).isEqualTo(401);
            }
        }
    }

    private static void mountLikeTheReadme(Service http, Accounts accounts) {
        // --- docs snippet starts
        Set<String> operators = Set.of("ops@example.com");
        AdminRoutes.builder(accounts)
                .operators(who -> operators.contains(who.user().email()))
                .build()
                .mount(http, "/admin/accounts");          // before any mount at an enclosing prefix
        AccountsRoutes.builder(accounts).build().mount(http, "/accounts");
        // --- docs snippet ends
    }
}
