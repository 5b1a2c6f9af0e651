package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.Spark;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MountingTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private TestAccounts first;
    private TestAccounts second;

    @BeforeAll
    void start() {
        first = new TestAccounts(TestDatabase.H2);
        second = new TestAccounts(TestDatabase.H2);
    }

    @AfterAll
    void stop() {
        first.close();
        second.close();
    }

    @Test
    void twoMountsOnOneServiceAtTwoPrefixesDoNotInterfere() {
        AccountsRoutes a = AccountsRoutes.builder(first.accounts).build();
        AccountsRoutes b = AccountsRoutes.builder(second.accounts).build();
        try (TestServer server = new TestServer(http -> {
            http.get("/hello", (req, res) -> "host route");
            a.mount(http, "/a");
            b.mount(http, "/api/v2/b");
        })) {
            String body = json("email", "both@example.com", "fname", "Ada", "lname", "L", "password", PASSWORD);
            assertThat(server.send("POST", "/a/users", body, null).status()).isEqualTo(201);
            assertThat(server.send("POST", "/api/v2/b/users", body, null).status()).isEqualTo(201);
            String tokenA = server.send("POST", "/a/sessions", json("email", "both@example.com", "password", PASSWORD), null)
                    .json().get("session").get("session_token").asText();
            assertThat(server.send("GET", "/a/users/me", null, tokenA).status()).isEqualTo(200);
            assertThat(server.send("GET", "/api/v2/b/users/me", null, tokenA).status()).isEqualTo(401);
            assertThat(server.send("GET", "/hello", null, null).body()).isEqualTo("host route");
        }
    }

    @Test
    void oneRoutesObjectMountsOnTwoServices() {
        AccountsRoutes routes = AccountsRoutes.builder(first.accounts).build();
        try (TestServer one = new TestServer(http -> routes.mount(http, "/accounts"));
             TestServer two = new TestServer(http -> routes.mount(http, "/accounts"))) {
            String body = json("email", "twice@example.com", "fname", "Ada", "lname", "L", "password", PASSWORD);
            String token = one.send("POST", "/accounts/users", body, null).json().get("session").get("session_token").asText();
            assertThat(two.send("GET", "/accounts/users/me", null, token).status()).isEqualTo(200);
            assertThat(one.base).isNotEqualTo(two.base);
        }
    }

    @Test
    void aPrefixMustBeAPath() {
        AccountsRoutes routes = AccountsRoutes.builder(first.accounts).build();
        spark.Service http = spark.Service.ignite();
        assertThatThrownBy(() -> routes.mount(http, "accounts/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start with '/'");
        http.stop();
    }

    @Test
    void adminRoutesFollowTheSamePrefixRuleTheEmptyPrefixIncluded() {
        AdminRoutes admin = AdminRoutes.builder(first.accounts).operators(who -> false).build();
        spark.Service http = spark.Service.ignite();
        assertThatThrownBy(() -> admin.mount(http, "/admin/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start with '/'");
        http.stop();
        try (TestServer server = new TestServer(h -> admin.mount(h, ""))) {
            assertThat(server.send("GET", "/users", null, null).status()).isEqualTo(401);
            assertThat(server.send("GET", "/users", null, null).code()).isEqualTo("unauthenticated");
        }
    }

    @Test
    void hostsOnTheStaticSparkApiCanMountToo() {
        AccountsRoutes routes = AccountsRoutes.builder(second.accounts).build();
        Spark.ipAddress("127.0.0.1");
        Spark.port(0);
        routes.mountOnStaticSpark("/accounts");
        Spark.awaitInitialization();
        try {
            var client = java.net.http.HttpClient.newHttpClient();
            var reply = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + Spark.port() + "/accounts/users/me")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).isEqualTo(401);
            assertThat(reply.body()).contains("\"code\":\"unauthenticated\"");
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            Spark.stop();
            Spark.awaitStop();
        }
    }

    @Test
    void sparkRunsOnThePatchedJetty() {
        assertThat(org.eclipse.jetty.util.Jetty.VERSION).startsWith("9.4.58");
        try (TestServer server = new TestServer(http -> http.get("/ping", (req, res) -> "pong"))) {
            assertThat(server.send("GET", "/ping", null, null).body()).isEqualTo("pong");
        }
    }
}
