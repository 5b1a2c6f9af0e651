package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table ({@code Endpoints.all()}) is the one source of the HTTP surface: the reference in
 * docs/http-api.md lists exactly its routes (as {@link OpenApiTest} checks openapi.json does).
 */
class RouteReferenceTest {
    private static final Path REFERENCE = Path.of("..", "docs", "http-api.md");
    /** A row of the reference's table: {@code | `METHOD /path` ...}, the path up to a space, backtick or query. */
    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST|PUT|PATCH|DELETE) (/[^ `?]*)");

    @Test
    void theReferenceListsExactlyTheMountedRoutes() throws IOException {
        List<String> documented = Files.readAllLines(REFERENCE).stream().map(ROW::matcher).filter(Matcher::find)
                .map(m -> m.group(1) + " " + m.group(2)).toList();
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            List<String> served = AccountsRoutes.builder(fixture.accounts).build().routeTable().stream()
                    .map(route -> route.replace(":id", "{id}")).toList();
            assertThat(documented).as("routes in docs/http-api.md").containsExactlyInAnyOrderElementsOf(served);
        }
    }
}
