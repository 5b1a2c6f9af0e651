package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook admin routes over a real socket, behind the operators' check, delivering to a real receiver through
 * the background worker; on H2 and PostgreSQL.
 */
@OnEachDatabase
class WebhookRoutesTest extends HttpSuiteTest {
    private static final String OPERATOR = "operator.hooks@example.com";

    private String operatorToken;

    @Override
    HttpSuite startSuite(TestDatabase database) {
        return HttpSuite.start(database, options -> options, (http, routes, fixture) -> {
            AdminRoutes.builder(fixture.accounts).operators(who -> who.user().email().startsWith("operator")).build()
                    .mount(http, "/admin/accounts");
            routes.mount(http, "/accounts");
        });
    }

    @BeforeParameterizedClassInvocation
    void signUpTheOperator() {
        operatorToken = suite.signUp(OPERATOR).json().at("/session/session_token").asText();
        TestAccounts fixture = suite.fixture;
        fixture.accounts.mail().requestEmailVerification(fixture.accounts.sessions().authenticate(operatorToken));
        fixture.accounts.mail().confirmEmailVerification(fixture.lastMailTo(OPERATOR).token());
    }

    private Reply admin(String method, String path, String body) {
        return suite.send(method, "/admin/accounts" + path, body, operatorToken);
    }

    private static String hook(String url, String types) {
        return "{\"url\": \"" + url + "\", \"event_types\": " + types + ", \"description\": \"CRM sync\"}";
    }

    @Test
    void anOperatorRegistersAWebhookThatIsDeliveredAndDeletesIt() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
            Reply created = admin("POST", "/webhooks", hook(url, "[\"user.updated\"]"));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode webhook = created.json().get("webhook");
            assertThat(webhook.get("secret").asText()).startsWith("whsec_");
            assertThat(webhook.get("url").asText()).isEqualTo(url);
            assertThat(webhook.get("event_types").get(0).asText()).isEqualTo("user.updated");
            assertThat(webhook.get("description").asText()).isEqualTo("CRM sync");
            assertThat(webhook.get("disabled").asBoolean()).isFalse();
            long id = webhook.get("id").asLong();
            JsonNode listed = admin("GET", "/webhooks", null).json().get("webhooks");
            assertThat(listed).anySatisfy(w -> assertThat(w.get("id").asLong()).isEqualTo(id));
            assertThat(listed.toString()).doesNotContain("secret").doesNotContain(webhook.get("secret").asText());

            String user = suite.signUpToken(HttpSuite.email("hooked"));
            assertThat(suite.send("PATCH", "/accounts/users/me", json("fname", "Grace"), user).status())
                    .isEqualTo(200);
            JsonNode deliveries = null;
            for (int i = 0; i < 400; i++) { // the background worker sends it; no speed is asserted
                deliveries = admin("GET", "/webhooks/" + id + "/deliveries?limit=10", null).json();
                if (deliveries.at("/deliveries/0/status").asText().equals("delivered")) {
                    break;
                }
                Thread.sleep(25);
            }
            assertThat(bodies).hasSize(1);
            assertThat(bodies.get(0)).contains("\"type\":\"user.updated\"");
            JsonNode delivery = deliveries.get("deliveries").get(0);
            assertThat(delivery.get("status").asText()).isEqualTo("delivered");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
            assertThat(delivery.get("last_status_code").asInt()).isEqualTo(204);
            assertThat(delivery.has("next_attempt_at")).isTrue();
            assertThat(deliveries.has("next")).isTrue();
            assertProblem(admin("POST", "/webhooks/" + id + "/deliveries/" + delivery.get("id").asLong() + "/retry",
                    null), 404, "not_found"); // only a failed delivery is retried

            Reply deleted = admin("DELETE", "/webhooks/" + id, null);
            assertThat(deleted.status()).isEqualTo(204);
            assertProblem(admin("GET", "/webhooks/" + id + "/deliveries", null), 404, "not_found");
            assertProblem(admin("DELETE", "/webhooks/" + id, null), 404, "not_found");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void badUrlsAndTypesAreRefused() {
        assertProblem(admin("POST", "/webhooks", hook("https://169.254.169.254/latest", "[\"*\"]")), 400,
                "invalid_webhook_url");
        assertProblem(admin("POST", "/webhooks", hook("https://2130706433/", "[\"*\"]")), 400,
                "invalid_webhook_url");
        assertProblem(admin("POST", "/webhooks", hook("ftp://127.0.0.1/", "[\"*\"]")), 400, "invalid_webhook_url");
        assertProblem(admin("POST", "/webhooks", hook("https://127.0.0.1/", "[]")), 400, "validation_failed");
        assertProblem(admin("POST", "/webhooks", hook("https://127.0.0.1/", "\"user.*\"")), 400, "validation_failed");
        assertProblem(admin("POST", "/webhooks", hook("https://127.0.0.1/", "[\"User Signed Up\"]")), 400,
                "validation_failed");
        assertProblem(admin("POST", "/webhooks", "{\"event_types\": [\"*\"]}"), 400, "validation_failed");
    }

    @Test
    void onlyOperatorsManageWebhooks() {
        String someone = suite.signUpToken(HttpSuite.email("not.an.operator"));

        assertProblem(suite.send("GET", "/admin/accounts/webhooks", null, someone), 403, "forbidden");
        assertProblem(suite.send("POST", "/admin/accounts/webhooks", hook("https://127.0.0.1/", "[\"*\"]"), someone),
                403, "forbidden");
        assertProblem(suite.send("GET", "/admin/accounts/webhooks", null, null), 401, "unauthenticated");
    }
}
