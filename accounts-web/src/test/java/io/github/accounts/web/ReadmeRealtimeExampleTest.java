package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.HostSecret;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import spark.Service;

import javax.sql.DataSource;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.accounts.web.RealtimeTest.ready;
import static io.github.accounts.web.RealtimeTest.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/realtime.md as written, on PostgreSQL; DocsSnippetsTest checks that the two agree. */
class ReadmeRealtimeExampleTest {
    @Test
    void theReadmeSnippetServesTheSocketAndSendsTheHostsMessage() {
        String jdbcUrl = TestDatabase.POSTGRES.freshJdbcUrl();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            AccountsSchema.migrate(dataSource);
            AtomicReference<Realtime> built = new AtomicReference<>();
            AtomicReference<Accounts> accountsBuilt = new AtomicReference<>();
            try (TestServer server = new TestServer(http -> wireLikeTheReadme(http, dataSource, jdbcUrl, built,
                    accountsBuilt))) {
                RealtimeTest.SignedUp reader = signUp(server, "readme-realtime");
                TestSocket socket = ready(server, reader);

                sendLikeTheReadme(built.get(), reader.userId());

                assertThat(socket.next("message").at("/data/unread").asInt()).isEqualTo(3);
                assertThat(server.get("/api/hello", null).body()).isEqualTo("hello");
            } finally {
                built.get().close();
                accountsBuilt.get().close();
            }
        }
    }

    private static void wireLikeTheReadme(Service http, DataSource dataSource, String jdbcUrl,
                                          AtomicReference<Realtime> built, AtomicReference<Accounts> accountsBuilt) {
        HostSecret secret = TestAccounts.SECRET;
        // --- docs snippet starts
        Realtime realtime = Realtime.builder()
                .fanout(Fanout.postgres(() -> DriverManager.getConnection(jdbcUrl)))  // on H2 leave this line out
                .build();
        Accounts accounts = Accounts.builder(dataSource).secret(secret).eventListener(realtime.listener()).build();
        AccountsRoutes routes = AccountsRoutes.builder(accounts).realtime(realtime).build();
        routes.mount(http, "/accounts");                  // FIRST: Spark takes web sockets only before any route
        http.get("/api/hello", (req, res) -> "hello");    // then your routes, filters and other mounts
        // --- docs snippet ends
        built.set(realtime);
        accountsBuilt.set(accounts);
    }

    private static void sendLikeTheReadme(Realtime realtime, long userId) {
        // --- docs snippet starts
        realtime.send(userId, "inbox", Map.of("unread", 3)); // {"type":"message","topic":"inbox","data":{...}}
        // --- docs snippet ends
    }
}
