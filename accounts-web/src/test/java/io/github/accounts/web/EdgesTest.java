package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** CORS, proxies, unexpected failures and overload: what a client sees at the edges. */
class EdgesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";

    @Test
    void corsIsOffByDefault() {
        try (HttpSuite server = HttpSuite.start(TestDatabase.H2)) {
            Reply r = server.send("GET", "/accounts/users/me", null, null, "Origin", "https://app.example.com");
            assertThat(r.header("Access-Control-Allow-Origin")).isNull();
            Reply preflight = server.send("OPTIONS", "/accounts/users/me", null, null, "Origin", "https://app.example.com",
                    "Access-Control-Request-Method", "GET");
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void listedOriginsGetPreflightsAndHeadersAndOthersDoNot() {
        try (HttpSuite server = HttpSuite.start(TestDatabase.H2,
                options -> options.allowedOrigins(Set.of("https://app.example.com")))) {
            Reply preflight = server.send("OPTIONS", "/accounts/users/me", null, null, "Origin", "https://app.example.com",
                    "Access-Control-Request-Method", "GET");
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
            assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
            assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();
            Reply evil = server.send("OPTIONS", "/accounts/users/me", null, null, "Origin", "https://evil.example",
                    "Access-Control-Request-Method", "GET");
            assertThat(evil.header("Access-Control-Allow-Origin")).isNull();
            Reply actual = server.send("GET", "/accounts/users/me", null, null, "Origin", "https://app.example.com");
            assertThat(actual.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        }
    }

    @Test
    void everyAnswerSaysItsLengthSoItGoesOutInOneWriteAndNeverChunked() {
        try (HttpSuite server = HttpSuite.start(TestDatabase.H2, options -> options, (http, routes, fixture) -> {
            routes.mount(http, "/accounts");
            http.before("/host/*", routes.guard());
        })) {
            Reply signUp = server.send("POST", "/accounts/users",
                    json("email", "len@example.com", "fname", "Lé", "lname", "N", "password", PASSWORD), null);
            String token = signUp.json().get("session").get("session_token").asText();
            List<Reply> answers = List.of(signUp,
                    server.send("GET", "/accounts/users/me", null, token),
                    server.send("GET", "/accounts/users/me", null, null),
                    server.send("GET", "/host/anything", null, null),
                    server.send("GET", "/accounts/openapi.json", null, null),
                    server.send("POST", "/accounts/password-resets", json("email", "nobody@example.com"), null));
            for (Reply r : answers) {
                assertThat(r.header("Transfer-Encoding")).as(r.raw().uri().toString()).isNull();
                assertThat(r.header("Content-Length")).as(r.raw().uri().toString())
                        .isEqualTo(Integer.toString(r.body().getBytes(StandardCharsets.UTF_8).length));
            }
            assertThat(answers).extracting(Reply::status).containsExactly(201, 200, 401, 401, 200, 202);
            Reply signOut = server.send("DELETE", "/accounts/sessions/current", null, token);
            assertThat(signOut.status()).isEqualTo(204);
            assertThat(signOut.header("Content-Length")).isNull();
        }
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            String ip = signUpAndListIp(fixture, AccountsRoutes.builder(fixture.accounts).build(), "a@example.com");
            assertThat(ip).isEqualTo("127.0.0.1");
            String trusted = signUpAndListIp(fixture, AccountsRoutes.builder(fixture.accounts)
                    .trustedProxies(Set.of("127.0.0.1")).build(), "b@example.com");
            assertThat(trusted).isEqualTo("203.0.113.7");
        }
    }

    private static String signUpAndListIp(TestAccounts fixture, AccountsRoutes routes, String email) {
        try (TestServer server = new TestServer(http -> routes.mount(http, "/accounts"))) {
            String body = json("email", email, "fname", "Ada", "lname", "L", "password", PASSWORD);
            String token = server.send("POST", "/accounts/users", body, null, "X-Forwarded-For", "198.51.100.1, 203.0.113.7")
                    .json().get("session").get("session_token").asText();
            return server.send("GET", "/accounts/sessions", null, token).json().get("sessions").get(0).get("ip").asText();
        }
    }

    @Test
    void unexpectedFailuresAreGeneric500ProblemsWithACorrelationId() {
        TestAccounts fixture = new TestAccounts(TestDatabase.H2);
        try (TestServer server = new TestServer(http -> AccountsRoutes.builder(fixture.accounts).build().mount(http, "/accounts"))) {
            fixture.emf.close(); // every database call now fails in an unexpected way
            Reply r = server.send("POST", "/accounts/sessions", json("email", "a@example.com", "password", "whatever"), null);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("instance").asText()).startsWith("urn:uuid:");
            assertThat(r.body()).doesNotContain("Exception").doesNotContain("EntityManagerFactory");
        } finally {
            fixture.accounts.close();
            fixture.dataSource.close();
        }
    }

    @Test
    void aFloodOfSignInsGetsOnlyContractAnswersAndA503WithRetryAfterWhenTheHashingQueueIsFull() throws Exception {
        AccountsConfig tiny = AccountsConfig.originalDesign().withHashing(new HashingParams(19_456, 2, 1, 1, 4));
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2, tiny);
             TestServer server = new TestServer(http -> AccountsRoutes.builder(fixture.accounts).build().mount(http, "/accounts"))) {
            ExecutorService pool = Executors.newFixedThreadPool(100);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String body = json("email", "flood" + i + "@example.com", "password", PASSWORD);
                replies.add(pool.submit(() -> server.send("POST", "/accounts/sessions", body, null)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                statuses.add(r.status());
                if (r.status() == 503) {
                    assertThat(r.json().get("code").asText()).isEqualTo("overloaded");
                    assertThat(r.header("Retry-After")).isEqualTo("1");
                }
            }
            pool.shutdown();
            assertThat(statuses).contains(503).allMatch(s -> s == 401 || s == 503 || s == 429);
        }
    }

    @Test
    void accountsIsUsableWithoutTheWebLayer() {
        assertThat(Accounts.CHANGELOG).endsWith("changelog.xml");
    }
}
