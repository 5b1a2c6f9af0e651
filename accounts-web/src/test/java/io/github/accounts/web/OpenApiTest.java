package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTest {

    @Test
    void theDocumentDescribesExactlyTheMountedRoutes() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).build();
            try (TestServer server = new TestServer(http -> routes.mount(http, "/auth"))) {
                TestClient.Reply r = server.send("GET", "/auth/openapi.json", null, null);
                assertThat(r.status()).isEqualTo(200);
                JsonNode doc = r.json();
                assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
                JsonNode described = doc.get("servers").get(0);
                assertThat(described.get("url").asText()).isEqualTo("{origin}/auth");
                assertThat(described.get("variables").get("origin").get("default").asText()).startsWith("http");
                List<String> documented = new ArrayList<>();
                doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                        method -> {
                            if (!method.equals("parameters")) {
                                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                            }
                        }));
                List<String> served = routes.routeTable().stream().map(r2 -> r2.replace(":id", "{id}")).toList();
                assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
            }
        }
    }
}
