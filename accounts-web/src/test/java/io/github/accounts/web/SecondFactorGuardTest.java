package io.github.accounts.web;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code asvs-level-2} profile requires a second factor: a session without one serves the accounts routes, to
 * enrol, and the host's guarded routes refuse it until TOTP is on.
 */
class SecondFactorGuardTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";

    @Test
    void aSessionWithoutASecondFactorCanEnrolButNotUseGuardedRoutes() {
        AccountsConfig asvs = AccountsConfig.asvsLevel2().withHashing(TestAccounts.CHEAP_HASHING);
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2, asvs)) {
            AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).clock(fixture.clock).build();
            try (TestServer server = new TestServer(http -> {
                routes.mount(http, "/accounts");
                http.before("/api/*", routes.guard());
                http.get("/api/greeting", (req, res) -> "Hello, " + AccountsRoutes.current(req).user().fname());
            })) {
                Reply up = server.send("POST", "/accounts/users", json("email", "guard@example.com", "fname", "Ada",
                        "lname", "Lovelace", "password", PASSWORD), null);
                assertThat(up.status()).isEqualTo(201);
                String token = up.json().at("/session/session_token").asText();
                Reply refused = server.get("/api/greeting", token);
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.code()).isEqualTo("forbidden");
                assertThat(server.get("/accounts/users/me", token).status()).isEqualTo(200);

                server.verifyEmail(fixture, "/accounts", "guard@example.com", token); // enrolment needs it
                Reply started = server.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD), token);
                Authenticator app = new Authenticator(started.json().get("secret").asText());
                fixture.clock.advance(Duration.ofSeconds(30));
                assertThat(server.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code",
                        app.code(fixture.clock)), token).status()).isEqualTo(200);
                assertThat(server.get("/api/greeting", token).body()).isEqualTo("Hello, Ada");
            }
        }
    }
}
