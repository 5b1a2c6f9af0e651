package example.host;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.web.AccountsRoutes;
import org.h2.jdbcx.JdbcConnectionPool;
import spark.Service;

import javax.sql.DataSource;
import java.util.Set;

/** A host: its own public and guarded routes, and accounts mounted at /auth, wired as the README says. */
public final class HostApp {
    private HostApp() {
    }

    public static void main(String[] args) {
        // The host's logging choice, as the README says: Hibernate through slf4j, quieted in simplelogger.properties.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        DataSource dataSource = JdbcConnectionPool.create("jdbc:h2:mem:host;DB_CLOSE_DELAY=-1", "sa", "");
        AccountsSchema.migrate(dataSource);
        Accounts accounts = Accounts.builder(dataSource)
                .mailer((to, subject, body) -> System.out.println("mail to " + to + ": " + subject))
                .passkeys(PasskeyConfig.of("localhost", "Host example", Set.of("http://localhost:8080")))
                .build();
        AccountsRoutes routes = AccountsRoutes.builder(accounts).build();

        Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
        routes.mount(http, "/auth");
        http.get("/hello", (req, res) -> "Hello, world");
        http.before("/api/*", routes.guard());
        http.get("/api/whoami", (req, res) -> AccountsRoutes.current(req).user().email());
        http.init();
        http.awaitInitialization();
        System.out.println("listening on " + http.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop();
            accounts.close();
        }));
    }
}
