package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.HostSecret;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.mail.Mailer;
import spark.Filter;
import spark.Service;

import javax.sql.DataSource;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The common host's wiring in one call: from a {@link DataSource}, the host's one {@link HostSecret} and its public
 * URL to {@link Accounts} mounted on a Spark {@link Service}, with cookie sessions and CSRF defences (the CSRF key
 * derived from the secret, the public URL's origin the only one a cookie request may come from), TOTP (its keys
 * derived from the secret, the previous secrets' still opening what they sealed), and the features the host turns
 * on: passkeys for the public URL, the real-time channel, mail with links to the public URL.
 * {@link Builder#mount} keeps the order Spark needs: the hardened Jetty ({@link JettySettings}) first, then the
 * real-time socket, then the routes; on a service that has mapped a route or filter already it refuses, in one line.
 * The fine-grained {@link Accounts#builder}, {@link AccountsRoutes#builder} and {@link JettySettings} stay for hosts
 * that want more. Thread-safe; close it on shutdown (after stopping the server).
 *
 * <pre>{@code
 * Service http = Service.ignite().port(8080);
 * AccountsHost accounts = AccountsHost.builder(dataSource, HostSecret.decode(System.getenv("SECRET_KEY")),
 *         URI.create("https://app.example.com")).name("Example").passkeys().mailer(mailer).mount(http, "/auth");
 * http.before("/api/*", accounts.guard());   // then the host's own routes and filters
 * accounts.awaitListening();                 // after them: the port, or one line saying why not
 * }</pre>
 */
public final class AccountsHost implements AutoCloseable {
    private final Service http;
    private final AtomicReference<Exception> startFailure;
    private final Accounts accounts;
    private final AccountsRoutes routes;
    private final Realtime realtime;
    private final AutoCloseable mailer;

    private AccountsHost(Service http, AtomicReference<Exception> startFailure, Accounts accounts,
                         AccountsRoutes routes, Realtime realtime, AutoCloseable mailer) {
        this.http = http;
        this.startFailure = startFailure;
        this.accounts = accounts;
        this.routes = routes;
        this.realtime = realtime;
        this.mailer = mailer;
    }

    /**
     * Starts the wiring over {@code dataSource} (migrated with {@link io.github.accounts.core.AccountsSchema} or the
     * host's Liquibase), {@code secret} and {@code publicUrl}, the absolute URL browsers reach the host at.
     */
    public static Builder builder(DataSource dataSource, HostSecret secret, URI publicUrl) {
        return new Builder(dataSource, secret, publicUrl);
    }

    /**
     * Waits until the server listens, once the host has added its own routes and filters; returns the port.
     *
     * @throws CannotListenException when the server cannot take its address, with a one-line message naming the
     *         address and the cause ({@code Cannot listen on 0.0.0.0:8080: the port is already in use}) instead of
     *         Spark's stack trace and {@code System.exit}; the host prints it, closes this and exits
     */
    public int awaitListening() {
        return JettySettings.awaitListening(http, startFailure);
    }

    /** The accounts service, for the host's own calls (e.g. {@code accounts().warmUpInBackground()}). */
    public Accounts accounts() {
        return accounts;
    }

    /** The mounted routes, for {@link AdminRoutes.Builder#sessionsOf} and further mounts. */
    public AccountsRoutes routes() {
        return routes;
    }

    /** The before-filter that lets only signed-in requests through to the host's routes ({@link AccountsRoutes#guard()}). */
    public Filter guard() {
        return routes.guard();
    }

    /** The real-time channel, for the host's own messages ({@link Realtime#send}); empty unless turned on. */
    public Optional<Realtime> realtime() {
        return Optional.ofNullable(realtime);
    }

    /** Closes the real-time channel, the accounts and the mailer when it is {@link AutoCloseable}. */
    @Override
    public void close() {
        closeAll(realtime, accounts, mailer);
    }

    private static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Closing accounts failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Builds and mounts an {@link AccountsHost}; by default without passkeys, real-time channel or mailer. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private final HostSecret secret;
        private final URI publicUrl;
        private String name = "accounts";
        private boolean passkeys;
        private Fanout fanout;
        private Mailer mailer;
        private JettySettings jetty;
        private Consumer<AccountsBuilder> moreAccounts = b -> { };
        private Consumer<AccountsRoutes.Builder> moreRoutes = b -> { };

        private Builder(DataSource dataSource, HostSecret secret, URI publicUrl) {
            this.dataSource = Objects.requireNonNull(dataSource, "null dataSource");
            this.secret = Objects.requireNonNull(secret, "null secret: give HostSecret.decode(...), or "
                    + "HostSecret.development() for throw-away keys");
            Objects.requireNonNull(publicUrl, "null publicUrl");
            if (publicUrl.getHost() == null || !List.of("http", "https").contains(String.valueOf(publicUrl.getScheme()))) {
                throw new IllegalArgumentException("The public URL must be an absolute http:// or https:// URL, was '"
                        + publicUrl + "'");
            }
            this.publicUrl = publicUrl;
        }

        /** The name users see: the TOTP issuer in authenticator apps and the passkeys' relying party; default "accounts". */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "null name");
            return this;
        }

        /** Turns passkeys on, for the public URL's host as relying party ID and its origin. */
        public Builder passkeys() {
            this.passkeys = true;
            return this;
        }

        /**
         * Turns the real-time channel on: {@link Fanout#singleInstance()} for one instance, {@link Fanout#postgres}
         * for every instance sharing a PostgreSQL database.
         */
        public Builder realtime(Fanout value) {
            this.fanout = Objects.requireNonNull(value, "null fanout");
            return this;
        }

        /** Where mail goes (e.g. accounts-mail-smtp's {@code SmtpMailer}); its links open the public URL. */
        public Builder mailer(Mailer value) {
            this.mailer = Objects.requireNonNull(value, "null mailer");
            return this;
        }

        /** The Jetty settings to serve on; default {@link JettySettings#defaults()} with problem JSON under the prefix. */
        public Builder jetty(JettySettings value) {
            this.jetty = Objects.requireNonNull(value, "null jetty");
            return this;
        }

        /** Further options of the fine-grained builder (configuration, clock, webhooks, ...), applied last. */
        public Builder accounts(Consumer<AccountsBuilder> more) {
            this.moreAccounts = Objects.requireNonNull(more, "null more");
            return this;
        }

        /** Further options of the routes (proxies, allowed origins, object mapper, ...), applied last. */
        public Builder routes(Consumer<AccountsRoutes.Builder> more) {
            this.moreRoutes = Objects.requireNonNull(more, "null more");
            return this;
        }

        /**
         * Builds everything and mounts it under {@code prefix} (e.g. {@code /auth}) of {@code http}, which must not
         * have mapped any route or filter yet: the host adds its own afterwards. On a failure, what was built is
         * closed again.
         *
         * @throws IllegalStateException when {@code http} has mapped a route or filter already, or a setting is missing
         */
        public AccountsHost mount(Service http, String prefix) {
            Objects.requireNonNull(http, "null http");
            RouteAdapter.checkPrefix(prefix);
            AtomicReference<Exception> startFailure;
            try {
                startFailure = (jetty != null ? jetty : JettySettings.defaults().problemJsonUnder(prefix))
                        .applyCatchingStartFailure(http);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("AccountsHost.mount must come before any route or filter of the "
                        + "host's on this Service: mount accounts first, then add your own", e);
            }
            Realtime realtime = fanout == null ? null : Realtime.builder().fanout(fanout).build();
            Accounts accounts = null;
            try {
                AccountsBuilder builder = Accounts.builder(dataSource).secret(secret).publicUrl(publicUrl)
                        .totpIssuer(name);
                if (passkeys) {
                    builder.passkeys(PasskeyConfig.forPublicUrl(publicUrl, name));
                }
                if (mailer != null) {
                    builder.mailer(mailer);
                }
                if (realtime != null) {
                    builder.eventListener(realtime.listener());
                }
                moreAccounts.accept(builder);
                accounts = builder.build();
                AccountsRoutes.Builder routes = AccountsRoutes.builder(accounts).publicUrl(publicUrl);
                if (realtime != null) {
                    routes.realtime(realtime);
                }
                moreRoutes.accept(routes);
                AccountsRoutes built = routes.build();
                built.mount(http, prefix);
                return new AccountsHost(http, startFailure, accounts, built, realtime,
                        mailer instanceof AutoCloseable closeable ? closeable : null);
            } catch (RuntimeException e) {
                try {
                    closeAll(realtime, accounts);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
    }
}
