package example.host;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.HostSecret;
import io.github.accounts.mail.smtp.SmtpMailer;
import io.github.accounts.mail.smtp.SmtpSettings;
import io.github.accounts.web.AccountsHost;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.Fanout;
import spark.Service;

import java.net.URI;
import java.sql.DriverManager;

/** A host: accounts at /auth with cookies + CSRF, TOTP, passkeys, the real-time channel and SMTP mail. */
// docs/guide/host.md shows this class as it is, from the marker below to the last method (DocsSnippetsTest).
// --- docs snippet starts
public final class HostApp {
    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j");    // Hibernate logs through slf4j too
        String jdbcUrl = env("JDBC_URL", "jdbc:h2:mem:host;DB_CLOSE_DELAY=-1");  // jdbc:postgresql://... in production
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl);
        AccountsSchema.migrate(dataSource);                          // creates or updates accounts' tables
        SmtpSettings smtp = SmtpSettings.of(env("SMTP_HOST", "localhost"), Integer.parseInt(env("SMTP_PORT", "587")),
                SmtpSettings.Security.valueOf(env("SMTP_SECURITY", "STARTTLS")), "Host <accounts@example.com>");
        SmtpMailer mailer = SmtpMailer.create(smtp.withLogin(env("SMTP_USER", ""), env("SMTP_PASSWORD", "")));
        Service http = Service.ignite().port(Integer.parseInt(env("PORT", "8080")));
        AccountsHost accounts = AccountsHost.builder(dataSource, HostSecret.decode(System.getenv("SECRET_KEY")),
                        URI.create(env("PUBLIC_URL", "http://localhost:8080")))
                .name("Host example").passkeys().mailer(mailer)
                .realtime(jdbcUrl.startsWith("jdbc:postgresql:")
                        ? Fanout.postgres(() -> DriverManager.getConnection(jdbcUrl)) : Fanout.singleInstance())
                .mount(http, "/auth");                               // first: before any route or filter of yours
        http.get("/hello", (req, res) -> "Hello, world");            // yours, public
        http.before("/api/*", accounts.guard());                     // yours, signed-in only (token or cookie)
        http.get("/api/whoami", (req, res) -> AccountsRoutes.current(req).user().email());
        accounts.accounts().warmUpInBackground();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> { http.stop(); accounts.close(); dataSource.close(); }));
        System.out.println("listening on " + accounts.awaitListening());  // or one line: why it cannot
    }
    private static String env(String name, String otherwise) {
        return System.getenv().getOrDefault(name, otherwise);
    }
    // --- docs snippet ends
}
