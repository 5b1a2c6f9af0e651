package io.github.accounts.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * demo-app's command line: reads the environment, then serves ({@link App} wires and starts everything) or runs one
 * {@code db} command. Only {@link #main} touches the process (environment, exit code, shutdown hook); {@link #run}
 * does the rest and returns the exit code, so tests drive it like a shell would.
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar demo-app.jar [command]

            Commands:
              serve              start the web server (the default)
              check              start as serve does, answer one GET /livez, stop (exit 0 when it all works)
              db upgrade         apply the pending change sets
              db status          list the pending change sets
              db downgrade [N]   roll back the last N applied change sets (default 1)
              db history         list the applied change sets, oldest first
              db diff            print a draft changelog of what the entities need and the database lacks
              help               show this text

            Settings, from environment variables or a .env file in the working directory:
              APP_SETTINGS        development (default) | testing | staging | production
              DATABASE_URL        postgresql://user:password@host:5432/db, or a jdbc:postgresql: or jdbc:h2: URL
                                  (development: H2 file ./data/accounts; testing: H2 in memory; else required)
              HOST, PORT          where to listen (default 0.0.0.0 and 5000; PORT=0 picks a free port)
              ACCOUNTS_PROFILE    original-design (default) | asvs-level-2
              DATABASE_POOL_SIZE  connections in the pool (default 2 per core + 1)
              TRUSTED_PROXIES     comma-separated proxy addresses whose X-Forwarded-For is believed
              ALLOWED_ORIGINS     comma-separated origins allowed to call /accounts from a browser (CORS)
              SECRET_KEY          at least 32 random bytes as hex or base64 (e.g. openssl rand -hex 32); required in
                                  staging and production (development: kept in ./data/secret.key; testing: per start)
              PUBLIC_URL          the URL browsers reach this server at (default: each request's own origin)
              INSECURE_COOKIES    true: session cookies without Secure, for plain HTTP beyond localhost
                                  (development and testing only)
              ADMIN_EMAILS        comma-separated emails of operators, who once verified use /admin/accounts
              MAIL_URL            smtp://user:password@host:587?starttls=true, smtps://user:password@host:465, or
                                  log: (development and testing: the log; else required)
              MAIL_FROM           the sender's address, e.g. Accounts <accounts@example.com> (with SMTP)
            """;
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private final Path workingDir;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    Main(Path workingDir, Map<String, String> environment, PrintStream out, PrintStream err) {
        this.workingDir = Objects.requireNonNull(workingDir, "null workingDir");
        this.environment = Map.copyOf(environment);
        this.out = Objects.requireNonNull(out, "null out");
        this.err = Objects.requireNonNull(err, "null err");
    }

    /** Runs one command; {@code serve} returns only once the server has been stopped (by SIGTERM). */
    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(new Main(Path.of(""), System.getenv(), System.out, System.err).run(args));
    }

    /** Runs the command in {@code args} and returns the process exit code; prints a one-line reason on failure. */
    int run(String... args) {
        List<String> command = List.of(args);
        try {
            if (command.isEmpty() || command.equals(List.of("serve"))) {
                return serve(settings());
            }
            if (command.equals(List.of("check"))) {
                return check(settings());
            }
            if (command.size() == 1 && List.of("help", "-h", "--help").contains(command.get(0))) {
                out.print(USAGE);
                return 0;
            }
            if (command.get(0).equals("db") && command.size() >= 2) {
                return new DbCommands(out).run(command.subList(1, command.size()), settings());
            }
            throw Failure.unknownCommand(String.join(" ", command));
        } catch (Failure f) {
            err.println("error: " + f.getMessage());
            if (f.showUsage()) {
                err.println();
                err.print(USAGE);
            }
            return f.exitCode();
        } catch (RuntimeException e) {
            log.error("Unexpected failure", e);
            err.println("error: unexpected failure: " + e);
            return Failure.RUNTIME;
        }
    }

    private Settings settings() {
        return Settings.from(Settings.variables(workingDir, environment));
    }

    private int serve(Settings settings) {
        RunningApp app = App.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        try {
            app.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Starts everything {@code serve} starts, asks the server's own {@code /livez} and stops: a smoke test of the
     * settings, and the training run the build records its class-data archive from (see demo-app's pom).
     */
    private int check(Settings settings) {
        try (RunningApp app = App.start(settings)) {
            String host = List.of("0.0.0.0", "::").contains(settings.host()) ? "127.0.0.1" : settings.host();
            String authority = (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port();
            URI livez = URI.create("http://" + authority + "/livez");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(livez)
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw Failure.runtime("GET " + livez + " answered " + answer.statusCode());
            }
            out.println("ok: started, " + livez + " answered 200, stopped");
            return 0;
        } catch (IOException e) {
            throw Failure.runtime("GET /livez failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.runtime("interrupted");
        }
    }

    /**
     * The host's logging set-up: Hibernate logs through slf4j (quieted in simplelogger.properties), anything on
     * java.util.logging at warnings only. accounts quiets Liquibase itself.
     */
    private static void quietLibraryLogging() {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s - %5$s%6$s%n");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }
}
