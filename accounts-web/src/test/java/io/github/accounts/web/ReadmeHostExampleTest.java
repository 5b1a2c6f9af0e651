package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.HostSecret;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.mail.Mailer;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import spark.Service;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the fine-grained host snippets of docs/guide/host.md as written; DocsSnippetsTest checks that the two agree. */
class ReadmeHostExampleTest {
    /** Stands in for the host's mail service in the snippet. */
    private final Smtp smtp = new Smtp();

    static final class Smtp {
        final List<String> sent = new CopyOnWriteArrayList<>();

        void send(String to, String subject, String body) {
            sent.add(to + ": " + subject);
        }
    }

    @Test
    void theReadmeSnippetsServe() throws Exception {
        try (HikariDataSource pool = TestDatabase.H2.freshDataSource()) {
            DataSource dataSource = pool;
            int port = 0;
            HostSecret secret = TestAccounts.SECRET;
            // --- docs snippet starts
            AccountsSchema.migrate(dataSource);                // creates or updates accounts' tables
            Mailer mailer = (to, subject, body) -> smtp.send(to, subject, body);
            Accounts accounts = Accounts.builder(dataSource).secret(secret).mailer(mailer).build();
            AccountsRoutes routes = AccountsRoutes.builder(accounts).build();

            Service http = Service.ignite().port(port);
            routes.mount(http, "/auth");                       // the whole contract under /auth
            http.get("/hello", (req, res) -> "Hello, world");  // yours, public
            http.before("/api/*", routes.guard());             // yours, 401 problem without a valid token
            http.get("/api/whoami", (req, res) -> AccountsRoutes.current(req).user().email());
            http.init();
            http.awaitInitialization();
            accounts.warmUpInBackground();
            // --- docs snippet ends
            try {
                String base = "http://localhost:" + http.port();
                HttpResponse<String> signUp = post(base + "/auth/users", "{\"email\":\"reader@example.com\","
                        + "\"fname\":\"Rita\",\"lname\":\"Reader\",\"password\":\"plum ferry quartz nine lantern\"}");
                assertThat(signUp.statusCode()).isEqualTo(201);
                assertThat(get(base + "/hello").statusCode()).isEqualTo(200);
                assertThat(get(base + "/api/whoami").statusCode()).isEqualTo(401);
                post(base + "/auth/password-resets", "{\"email\":\"reader@example.com\"}");
                for (int i = 0; i < 500 && smtp.sent.isEmpty(); i++) {
                    Thread.sleep(10); // mail goes out on a background thread
                }
                assertThat(smtp.sent).singleElement().asString().startsWith("reader@example.com: ");
            } finally {
                // --- docs snippet starts
                http.stop();
                http.awaitStop();
                accounts.close();                              // stops its threads, closes its Hibernate factory
                // --- docs snippet ends
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
