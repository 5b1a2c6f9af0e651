package io.github.accounts.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.webhook.WebhookPolicy;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.federation.DiscoveryFailure;
import io.github.accounts.core.federation.FederationSettings;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.AdminRoutes;
import io.github.accounts.web.CannotListenException;
import io.github.accounts.web.Fanout;
import io.github.accounts.web.JettySettings;
import io.github.accounts.web.Realtime;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * demo-app wired by hand, the way a host wires accounts: pool, schema, {@link Accounts}, routes, web server. Only
 * the public API of accounts-core and accounts-web is used. Stateless.
 */
final class App {
    private static final Logger log = LoggerFactory.getLogger(App.class);

    private App() {
    }

    /** Starts demo-app and returns once the server listens; on any failure releases what it had taken and throws. */
    static RunningApp start(Settings settings) {
        requirePortFree(settings);
        RunningApp app = new RunningApp();
        try {
            HikariDataSource pool = app.hold(ConnectionPool.open(settings.database(), settings.poolSize()));
            // Migrations run on a thread of their own while Hibernate boots on this one (profiled: each takes about
            // a third of start-up); the mapping is checked against the schema once both are done.
            CompletableFuture<Void> schema = CompletableFuture.runAsync(() -> prepareSchema(settings, pool),
                    task -> new Thread(task, "migrations").start());
            AccountsConfig config = AccountsConfig.profile(settings.accountsProfile())
                    .withReauthentication(settings.reauthentication());
            Realtime realtime = app.hold(Realtime.builder().fanout(fanout(settings.database())).build());
            Accounts accounts;
            try {
                AccountsBuilder builder = Accounts.builder(pool).config(config).eventListener(realtime.listener())
                        .secret(settings.secretKey().withPrevious(settings.previousSecretKeys()))
                        .totpIssuer("accounts demo")
                        .mailer(settings.mail().start(app, settings.environment()))
                        .webhooks(settings.webhooksAllowPrivate()
                                ? WebhookPolicy.allowingPrivateNetworks() : WebhookPolicy.strict());
                settings.managementPort().ifPresent(port -> builder.meterRegistry(management(app, port)));
                passkeys(settings).ifPresent(builder::passkeys);
                federation(settings).ifPresent(builder::federation);
                mailLinks(settings).ifPresent(builder::publicUrl);
                accounts = app.hold(build(builder));
            } catch (RuntimeException e) {
                schema.exceptionally(ignored -> null).join(); // the pool closes only once the migrations are done
                throw e;
            }
            await(schema);
            requireSchemaMatches(accounts);

            ObjectMapper json = new ObjectMapper();
            AccountsRoutes accountsRoutes = accountsRoutes(settings, accounts, json, realtime);
            AdminRoutes adminRoutes = AdminRoutes.builder(accounts).objectMapper(json).sessionsOf(accountsRoutes)
                    .operators(settings::isOperator).build();
            DemoRoutes routes = new DemoRoutes(accountsRoutes, adminRoutes, pool, new Greetings(pool, Clock.systemUTC()),
                    json, settings.insecureCookies(), passkeys(settings).isPresent());
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

    /** Starts the management listener (it stops after accounts when {@code app} closes); its registry. */
    private static MeterRegistry management(RunningApp app, int port) {
        ManagementServer server = app.hold(ManagementServer.start(port));
        app.managing(server.port());
        return server.registry();
    }

    /**
     * The accounts routes as the settings say: proxies, CORS, and cookie sessions (origin, Secure; the CSRF key is
     * derived from the accounts' host secret).
     */
    private static AccountsRoutes accountsRoutes(Settings settings, Accounts accounts, ObjectMapper json,
                                                 Realtime realtime) {
        AccountsRoutes.Builder routes = AccountsRoutes.builder(accounts).objectMapper(json).realtime(realtime)
                .trustedProxies(settings.trustedProxies()).allowedOrigins(settings.allowedOrigins())
                .insecureCookies(settings.insecureCookies());
        settings.publicUrl().ifPresent(routes::publicUrl);
        return routes.build();
    }

    /**
     * The real-time channel's reach: on PostgreSQL every instance sharing the database, through LISTEN/NOTIFY on
     * two connections of its own beside the pool; on H2 (one process) this instance only.
     */
    private static Fanout fanout(DatabaseUrl database) {
        if (!database.jdbcUrl().startsWith("jdbc:postgresql:")) {
            return Fanout.singleInstance();
        }
        return Fanout.postgres(() -> database.user().isEmpty() ? DriverManager.getConnection(database.jdbcUrl())
                : DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password()));
    }

    /** Where mailed sign-in links open: {@code PUBLIC_URL}, else {@code http://localhost:<PORT>}; none on port 0. */
    static Optional<URI> mailLinks(Settings settings) {
        return settings.publicUrl().or(() -> settings.port() == 0 ? Optional.empty()
                : Optional.of(URI.create("http://localhost:" + settings.port())));
    }

    /**
     * The passkeys' relying party: {@code PUBLIC_URL}, else {@code http://localhost:<PORT>}. None (the passkey routes
     * then answer 404, with a WARN) for a random port or an IP address, which cannot be an RP ID.
     */
    static Optional<PasskeyConfig> passkeys(Settings settings) {
        URI url = settings.publicUrl().orElse(settings.port() == 0 ? null
                : URI.create("http://localhost:" + settings.port()));
        if (url == null || url.getHost().startsWith("[") || url.getHost().matches("[0-9.]+")) {
            return Optional.empty();
        }
        return Optional.of(PasskeyConfig.forPublicUrl(url, "accounts demo"));
    }

    /**
     * The sign-in providers behind {@code PUBLIC_URL} (else {@code http://localhost:<PORT>}) and the accounts prefix;
     * none without providers. A provider whose discovery fails is left out with a WARN in development and testing.
     */
    static Optional<FederationSettings> federation(Settings settings) {
        if (settings.providers().isEmpty()) {
            return Optional.empty();
        }
        boolean lenient = settings.environment() == Environment.DEVELOPMENT
                || settings.environment() == Environment.TESTING;
        URI url = settings.publicUrl().orElseGet(() -> {
            if (!lenient) {
                throw Failure.usage("PUBLIC_URL is required with sign-in providers (OIDC_PROVIDERS, GITHUB_CLIENT_ID)"
                        + " when APP_SETTINGS=" + settings.environment().label()
                        + ": it makes their redirect URI");
            }
            return URI.create("http://localhost:" + settings.port());
        });
        String base = url.toString().replaceAll("/+$", "") + DemoRoutes.ACCOUNTS_PREFIX;
        return Optional.of(FederationSettings.of(URI.create(base), settings.providers())
                .withUndiscoverableLeftOut(lenient));
    }

    /**
     * Builds accounts; a provider whose discovery failed stops start-up naming its issuer's setting, and any other
     * refusal of the builder (settings that do not fit together, a missing secret) is a bad setting too: one line,
     * exit 2.
     */
    private static Accounts build(AccountsBuilder builder) {
        try {
            return builder.build();
        } catch (DiscoveryFailure e) {
            throw Failure.usage(ProviderSettings.variable(e.providerId(), "ISSUER") + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            throw Failure.usage(e.getMessage());
        }
    }

    /** Applies the pending change sets where the environment migrates on start; elsewhere insists there are none. */
    private static void prepareSchema(Settings settings, HikariDataSource pool) {
        Migrations migrations = new Migrations(pool, settings.database());
        if (settings.environment().migratesOnStart()) {
            migrations.upgrade();
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

    private static void requireSchemaMatches(Accounts accounts) {
        try {
            AccountsSchema.validate(accounts);
        } catch (IllegalStateException e) {
            throw Failure.runtime(e.getMessage() + "; 'db status' lists pending change sets, 'db diff' drafts the"
                    + " missing ones");
        }
    }

    /** Starts the web server with {@code routes}; it stops first when {@code app} closes. */
    private static void listen(RunningApp app, Settings settings, DemoRoutes routes) {
        Service http = Service.ignite().ipAddress(settings.host()).port(settings.port());
        app.hold(() -> {
            http.stop();
            http.awaitStop();
        });
        try {
            app.listening(JettySettings.defaults().problemJsonUnder(DemoRoutes.ACCOUNTS_PREFIX, "/api")
                    .securityHeaders(DemoRoutes.SECURITY_HEADERS).start(http, routes::mount));
        } catch (CannotListenException e) {
            throw Failure.runtime(e.getMessage() + " (PORT)");
        }
    }

    /**
     * Fails at once, before any other work or log line, when the port is taken (another instance, say); the start
     * itself reports a port taken meanwhile the same way ({@link #listen}).
     */
    private static void requirePortFree(Settings settings) {
        if (settings.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Jetty binds: a port left in TIME_WAIT is free
            probe.bind(new InetSocketAddress(settings.host(), settings.port()));
        } catch (BindException e) {
            throw Failure.runtime("Cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (String.valueOf(e.getMessage()).contains("in use") ? "the port is already in use"
                    : ConnectionPool.firstLine(e)) + " (PORT)");
        } catch (IOException e) {
            throw Failure.runtime("Cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + ConnectionPool.firstLine(e) + " (HOST, PORT)");
        }
    }
}
