package io.github.accounts.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsConfig;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.JettySettings;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SchemaValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * demo-app's entry point: reads the environment, then serves or runs one {@code db} command. Everything is wired
 * here by hand, in {@link #start}. Only {@link #main} touches the process (environment, exit code, shutdown
 * hook); {@link #run} does the rest and returns the exit code, so tests drive it like a shell would.
 */
public final class Main {
    static final String USAGE = """
            Usage: java -jar demo-app.jar [command]

            Commands:
              serve              start the web server (the default)
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
              MAIL_URL            smtp://user:password@host:587?starttls=true, smtps://user:password@host:465, or
                                  log: (development and testing: the log; else required)
              MAIL_FROM           the sender's address, e.g. Accounts <accounts@example.com> (with SMTP)
            """;
    /** A dead database costs a request this long before it is answered 503. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    static final Duration PURGE_EVERY = Duration.ofMinutes(5);
    /** No query of accounts runs longer; a silent network partition is given up on after this. */
    static final Duration QUERY_SOCKET_TIMEOUT = Duration.ofSeconds(30);
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
        RunningApp app = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        try {
            app.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Starts demo-app: pool, schema check or migration, accounts, routes, web server, purge schedule. Returns once
     * the server listens; on any failure releases what it had taken and throws.
     */
    static RunningApp start(Settings settings) {
        RunningApp app = new RunningApp();
        try {
            HikariDataSource pool = app.hold(pool(settings.database(), settings.poolSize()));
            // Migrations run on a thread of their own while Hibernate boots on this one (profiled: each takes about
            // a third of start-up); the mapping is checked against the schema once both are done.
            CompletableFuture<Void> schema = CompletableFuture.runAsync(() -> prepareSchema(settings, pool),
                    task -> new Thread(task, "migrations").start());
            EntityManagerFactory emf;
            try {
                emf = app.hold(Accounts.entityManagerFactory(pool, Map.of()));
            } catch (RuntimeException e) {
                schema.exceptionally(ignored -> null).join(); // the pool closes only once the migrations are done
                throw e;
            }
            await(schema);
            requireSchemaMatches(emf);

            AccountsConfig config = AccountsConfig.profile(settings.accountsProfile());
            Accounts accounts = app.hold(Accounts.builder(emf).config(config)
                    .mailer(settings.mail().start(app, settings.environment())).build());
            ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(Main::daemon);
            app.hold(purger::shutdownNow);
            purger.scheduleWithFixedDelay(() -> purge(accounts), PURGE_EVERY.toSeconds(), PURGE_EVERY.toSeconds(),
                    TimeUnit.SECONDS);

            ObjectMapper json = new ObjectMapper();
            AccountsRoutes accountsRoutes = accountsRoutes(settings, accounts, json);
            DemoRoutes routes = new DemoRoutes(accountsRoutes, pool, new Greetings(pool, Clock.systemUTC()), json);
            listen(app, settings, routes);
            accounts.warmUpInBackground();

            List<String> deviations = config.deviationsFromProfile();
            log.info("demo-app listening on http://{}:{} | environment {} | database {} | security profile {} ({})",
                    settings.host(), app.port(), settings.environment().label(), settings.database(),
                    config.profile(), deviations.isEmpty() ? "no deviations" : "deviations: " + deviations);
            return app;
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
    }

    /** The accounts routes as the settings say: proxies, CORS, and cookie sessions (CSRF key, origin, Secure). */
    private static AccountsRoutes accountsRoutes(Settings settings, Accounts accounts, ObjectMapper json) {
        AccountsRoutes.Builder routes = AccountsRoutes.builder(accounts).objectMapper(json)
                .trustedProxies(settings.trustedProxies()).allowedOrigins(settings.allowedOrigins())
                .csrfKey(settings.secretKey().derive(SecretKey.CSRF)).insecureCookies(settings.insecureCookies());
        settings.publicUrl().ifPresent(routes::publicUrl);
        return routes.build();
    }

    /** Applies the pending change sets where the environment migrates on start; elsewhere insists there are none. */
    private static void prepareSchema(Settings settings, HikariDataSource pool) {
        Migrations migrations = new Migrations(pool, settings.database());
        if (settings.environment().migratesOnStart()) {
            int applied = migrations.upgrade().size();
            log.info("Applied {} to {}", applied == 1 ? "1 change set" : applied + " change sets", settings.database());
        } else {
            migrations.requireUpToDate();
        }
    }

    private static void await(CompletableFuture<Void> work) {
        try {
            work.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Hibernate's check that every mapped table and column exists with a compatible type. */
    private static void requireSchemaMatches(EntityManagerFactory emf) {
        try {
            emf.getSchemaManager().validate();
        } catch (SchemaValidationException e) {
            throw Failure.runtime("The database schema does not match what accounts maps (" + e.getMessage()
                    + "); 'db status' lists pending change sets, 'db diff' drafts the missing ones");
        }
    }

    /** Starts the web server with {@code routes}; it stops first when {@code app} closes. */
    private static void listen(RunningApp app, Settings settings, DemoRoutes routes) {
        Service http = Service.ignite().ipAddress(settings.host()).port(settings.port());
        JettySettings.defaults().problemJsonUnder(DemoRoutes.ACCOUNTS_PREFIX, "/api")
                .securityHeaders(DemoRoutes.SECURITY_HEADERS).applyTo(http);
        AtomicReference<Exception> igniteFailure = new AtomicReference<>();
        http.initExceptionHandler(igniteFailure::set); // Spark's default handler would call System.exit
        app.hold(() -> {
            http.stop();
            http.awaitStop();
        });
        routes.mount(http);
        http.init();
        http.awaitInitialization();
        if (igniteFailure.get() != null) {
            throw Failure.runtime("Cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + Migrations.firstLine(igniteFailure.get()));
        }
        app.listening(http.port());
    }

    /**
     * The connection pool. Its size (default 2 per core + 1, HikariCP's rule of thumb) stays small because requests
     * hold a connection only for short transactions: password hashing, the slow part, runs outside them. It gives
     * up on a connection after {@link #CONNECTION_TIMEOUT}, so a dead database turns into quick 503s rather than a
     * pile-up of waiting requests.
     */
    static HikariDataSource pool(DatabaseUrl database, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("accounts");
        config.setJdbcUrl(database.jdbcUrl());
        if (!database.user().isEmpty()) {
            config.setUsername(database.user());
        }
        if (!database.password().isEmpty()) {
            config.setPassword(database.password());
        }
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setValidationTimeout(1_000);
        if (database.jdbcUrl().startsWith("jdbc:postgresql:")) {
            // A database host that vanishes mid-query (no RST) must not hang a request thread forever.
            config.addDataSourceProperty("socketTimeout", QUERY_SOCKET_TIMEOUT.toSeconds());
            config.addDataSourceProperty("tcpKeepAlive", true);
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw Migrations.unreachable(database, e);
        }
    }

    private static void purge(Accounts accounts) {
        try {
            int removed = accounts.purgeExpired();
            if (removed > 0) {
                log.info("Purged {} expired session(s), token(s) and throttle entries", removed);
            }
        } catch (RuntimeException e) {
            log.warn("Purging expired rows failed; trying again in {} minutes: {}", PURGE_EVERY.toMinutes(), e.toString());
        }
    }

    private static Thread daemon(Runnable task) {
        Thread t = new Thread(task, "purge-expired");
        t.setDaemon(true);
        return t;
    }

    /**
     * Process-wide settings of the libraries: Liquibase analytics off, Hibernate logging through slf4j (configured in
     * simplelogger.properties), Liquibase's java.util.logging to warnings only.
     */
    private static void quietLibraryLogging() {
        System.setProperty("liquibase.analytics.enabled", "false"); // no calls home; Migrations also says so per call
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s - %5$s%6$s%n");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }
}
