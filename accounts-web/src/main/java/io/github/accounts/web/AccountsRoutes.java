// Over 300 lines: the mount and its builder, whose options (transport, CORS, proxies, limits) each need their javadoc.
package io.github.accounts.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.HostSecret;
import io.github.accounts.core.config.SecondFactorPolicy;
import spark.Filter;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;
import spark.Spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The accounts HTTP contract as SparkJava routes, mounted under a prefix the host chooses, plus the
 * {@link #guard()} filter that host routes use to require a session. Holds no static state: mount it on several
 * services or at several prefixes freely. Thread-safe.
 *
 * <pre>{@code
 * AccountsRoutes routes = AccountsRoutes.builder(accounts).build();
 * routes.mount(http, "/accounts");
 * http.before("/api/*", routes.guard());
 * http.get("/api/greeting", (req, res) -> "Hello, " + AccountsRoutes.current(req).user().fname());
 * }</pre>
 */
public final class AccountsRoutes {
    private static final String CURRENT = AccountsRoutes.class.getName() + ".current";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final Endpoints endpoints;
    private final RouteAdapter adapter;
    private final ClientAddress clientAddress;
    private final Cors cors;
    private final SessionTransport transport;
    private final Realtime realtime;
    /** The services (and, as null's stand-in, the static server) whose socket a mount of these routes registered. */
    private final Set<Object> socketsRegistered = Collections.newSetFromMap(new WeakHashMap<>());
    private final SecondFactorPolicy secondFactor;

    private AccountsRoutes(Builder b) {
        this.endpoints = new Endpoints(b.accounts);
        ObjectMapper json = configure(b.objectMapper);
        this.clientAddress = new ClientAddress(b.trustedProxies);
        this.cors = new Cors(b.allowedOrigins);
        this.adapter = new RouteAdapter(json, clientAddress, cors);
        this.transport = new SessionTransport(b.accounts, csrf(b), b.clock, b.insecureCookies);
        this.realtime = b.realtime;
        if (realtime != null) {
            realtime.bind(b.accounts, json);
        }
        this.secondFactor = b.accounts.config().secondFactor();
    }

    /** The CSRF defences under the key given, else the one derived from the accounts' host secret; none: refused. */
    private static Csrf csrf(Builder b) {
        if (b.csrfKey != null) {
            return new Csrf(b.csrfKey, List.of(), b.publicUrl);
        }
        HostSecret secret = b.accounts.secret().orElseThrow(() -> new IllegalStateException("No CSRF key: build the"
                + " Accounts with AccountsBuilder.secret(...) (or developmentKeys()), or give"
                + " AccountsRoutes.Builder.csrfKey(...)"));
        return new Csrf(secret.key(HostSecret.CSRF), secret.previousKeys(HostSecret.CSRF), b.publicUrl);
    }

    /** Starts building routes over {@code accounts}. */
    public static Builder builder(Accounts accounts) {
        return new Builder(accounts);
    }

    /**
     * Mounts every route under {@code prefix} (e.g. {@code /accounts}) on a Spark service instance. With a
     * {@link Builder#realtime} channel, the first mount on a service also registers its WebSocket, which Spark takes
     * only before any route: mount accounts before the host's own routes (later mounts, at another prefix or of
     * {@link AdminRoutes}, are fine; the socket stays under the first prefix).
     */
    public void mount(Service http, String prefix) {
        Objects.requireNonNull(http, "null http");
        boolean socket = registerSocket(http, prefix, () -> {
            http.webSocket(prefix + Realtime.PATH, realtime.endpoint());
            if (realtime.socketIo() != null) {
                http.webSocket(prefix + SocketIoChannel.PATH, realtime.socketIo().endpoint());
            }
        });
        mount(prefix, socket, RouteAdapter.Sink.of(http));
    }

    /** Mounts every route under {@code prefix} on the static {@code Spark.*} server, for hosts that use it. */
    public void mountOnStaticSpark(String prefix) {
        boolean socket = registerSocket(Spark.class, prefix, () -> {
            Spark.webSocket(prefix + Realtime.PATH, realtime.endpoint());
            if (realtime.socketIo() != null) {
                Spark.webSocket(prefix + SocketIoChannel.PATH, realtime.socketIo().endpoint());
            }
        });
        mount(prefix, socket, RouteAdapter.Sink.ofStaticSpark());
    }

    /**
     * A before-filter for host routes: lets a request with a valid session token or session cookie through (see
     * {@link #current}), answers anything else with the contract's 401 problem, and a cookie-authenticated unsafe
     * request without the session's {@code X-CSRF-Token} or from a foreign {@code Origin} with 403
     * {@code csrf_failed}. Where the configuration requires a second factor ({@link SecondFactorPolicy}), a session
     * of a user without one gets 403 {@code forbidden}: it serves the accounts routes only, to enrol.
     */
    public Filter guard() {
        return (req, res) -> {
            try {
                Authenticated who = transport.authenticate(req);
                if (who.secondFactorMissing(secondFactor)) {
                    throw AccountsException.of(ErrorCode.FORBIDDEN,
                            "Turn on a second factor first: until then this session serves enrolment only.");
                }
                req.attribute(CURRENT, who);
            } catch (AccountsException | HttpProblem e) {
                halt(req, res, e);
            }
        };
    }

    private void halt(Request req, Response res, Exception failure) {
        byte[] body = adapter.problem(req, res, failure);
        Spark.halt(res.status(), new String(body, StandardCharsets.UTF_8));
    }

    /** How these routes read a client's address (their trusted proxies), for the admin routes that share them. */
    ClientAddress clientAddress() {
        return clientAddress;
    }

    /** How these routes authenticate, for {@link AdminRoutes.Builder#sessionsOf}. */
    SessionTransport transport() {
        return transport;
    }

    /** The session that {@link #guard()} let through on this request. */
    public static Authenticated current(Request req) {
        Authenticated who = req.attribute(CURRENT);
        if (who == null) {
            throw new IllegalStateException(
                    "No authenticated session on this request: install AccountsRoutes.guard() as a before-filter for its path");
        }
        return who;
    }

    /** The method and path of every route, as mounted at the empty prefix; for the OpenAPI document's test. */
    List<String> routeTable() {
        return endpoints.all().stream().map(e -> e.method() + " " + e.path()).toList();
    }

    /**
     * Registers the real-time socket on the server {@code key} stands for, unless these routes have no channel or
     * registered it there already; false then.
     */
    private boolean registerSocket(Object key, String prefix, Runnable register) {
        if (realtime == null) {
            return false;
        }
        synchronized (socketsRegistered) {
            if (socketsRegistered.contains(key)) {
                return false;
            }
            RouteAdapter.checkPrefix(prefix);
            try {
                register.run();
            } catch (IllegalStateException e) {
                throw new IllegalStateException("AccountsRoutes.mount must come before the host maps any route on this "
                        + "server when the real-time channel is on: Spark takes web sockets only before route mapping "
                        + "has begun. Mount accounts first, then add your own routes and filters.", e);
            }
            socketsRegistered.add(key);
            return true;
        }
    }

    private void mount(String prefix, boolean socket, RouteAdapter.Sink sink) {
        RouteAdapter.checkPrefix(prefix);
        SessionTransport here = transport.mountedAt(prefix);
        // Spark sends any other method (TRACE, PROPFIND, made-up ones) to the host's 404 page: ours is a problem.
        Route otherMethods = (req, res) -> {
            if (!METHODS.contains(routedMethod(req))) {
                halt(req, res, HttpProblem.notFound());
            }
            return null;
        };
        sink.add(RouteAdapter.Sink.BEFORE, prefix + "/*", otherMethods);
        sink.add(RouteAdapter.Sink.BEFORE, RouteAdapter.bare(prefix), otherMethods);
        if (socket) {
            sink.add("GET", prefix + Realtime.PATH, upgrade(here));
            if (realtime.socketIo() != null) {
                Route socketIo = socketIo(here, realtime.socketIo());
                sink.add("GET", prefix + SocketIoChannel.PATH, socketIo);
                sink.add("POST", prefix + SocketIoChannel.PATH, socketIo);
            }
        }
        adapter.addAll(sink, prefix, endpoints.all(), here, RouteAdapter.Gate.OPEN, /* headLikeGet */ true);
        byte[] openApi = openApiDocument(prefix).getBytes(StandardCharsets.UTF_8);
        Route openApiRoute = (req, res) -> {
            cors.decorate(req, res);
            res.type("application/json");
            res.header("Cache-Control", "no-store");
            return RouteAdapter.sized(res, openApi);
        };
        sink.add("GET", prefix + "/openapi.json", openApiRoute);
        sink.add("HEAD", prefix + "/openapi.json", openApiRoute);
        if (cors.enabled()) {
            sink.add("OPTIONS", prefix + "/*", cors::preflight);
        }
        adapter.notFound(sink, List.of(prefix + "/*", RouteAdapter.bare(prefix)), METHODS, here, RouteAdapter.Gate.OPEN);
    }

    /**
     * The HTTP half of the socket's upgrade, which Spark sees before Jetty's upgrade filter: a request that is no
     * upgrade is 404, a session cookie from a foreign {@code Origin} 403 {@code csrf_failed}; otherwise what the
     * cookie proves is left for the socket and the answer to Jetty (a route returning nothing leaves the request
     * unconsumed).
     */
    private Route upgrade(SessionTransport here) {
        return (req, res) -> {
            try {
                if (!"websocket".equalsIgnoreCase(req.headers("Upgrade"))) {
                    throw new HttpProblem(404, "not_found", "This path takes WebSocket upgrades only.");
                }
                req.attribute(RealtimeSockets.UPGRADE_ATTRIBUTE, here.upgrade(req));
                req.attribute(RealtimeSockets.ADDRESS_ATTRIBUTE, clientAddress.of(req));
                return null;
            } catch (Exception failure) {
                return adapter.problem(req, res, failure);
            }
        };
    }

    /**
     * Socket.IO's requests: a session cookie from a foreign {@code Origin} is 403 {@code csrf_failed} on every one; a
     * handshake (no {@code sid}) takes what the cookie proves, a WebSocket upgrade is left to Jetty, a poll is
     * answered by the channel.
     */
    private Route socketIo(SessionTransport here, SocketIoChannel channel) {
        return (req, res) -> {
            try {
                boolean handshake = req.queryParams("sid") == null;
                Object cookie = handshake ? here.upgrade(req) : here.checkCookieOrigin(req);
                String address = clientAddress.of(req);
                if ("websocket".equalsIgnoreCase(req.headers("Upgrade"))) {
                    req.attribute(RealtimeSockets.UPGRADE_ATTRIBUTE, cookie);
                    req.attribute(RealtimeSockets.ADDRESS_ATTRIBUTE, address);
                    return null;
                }
                cors.decorate(req, res);
                return channel.poll(req, res, cookie, address);
            } catch (Exception failure) {
                return adapter.problem(req, res, failure);
            }
        };
    }

    /** The method Spark routes by: like Spark, {@code X-HTTP-Method-Override} when sent, else the request's. */
    private static String routedMethod(Request req) {
        String override = req.headers("X-HTTP-Method-Override");
        return (override != null ? override : req.requestMethod()).toUpperCase(Locale.ROOT);
    }

    private static String openApiDocument(String prefix) {
        try (InputStream in = AccountsRoutes.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the accounts-web jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{prefix}", prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectMapper configure(ObjectMapper base) {
        ObjectMapper mapper = base.copy();
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // Strict: one JSON value and nothing after it, each key once (Jackson's default keeps the last).
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        // Bounded parsing work: shallow nesting, no string longer than a body may be.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(JsonBody.MAX_BYTES).build());
        return mapper;
    }

    /**
     * Builds {@link AccountsRoutes}; by default no trusted proxies, no cross-origin access, the CSRF key derived from
     * the accounts' {@link HostSecret} (without one and without {@link #csrfKey}, {@link #build()} refuses) and
     * {@code Secure} cookies.
     */
    public static final class Builder {
        private final Accounts accounts;
        private ObjectMapper objectMapper = new ObjectMapper();
        private Set<String> trustedProxies = Set.of();
        private Set<String> allowedOrigins = Set.of();
        private byte[] csrfKey;
        private URI publicUrl;
        private boolean insecureCookies;
        private Clock clock = Clock.systemUTC();
        private Realtime realtime;

        private Builder(Accounts accounts) {
            this.accounts = Objects.requireNonNull(accounts, "null accounts");
        }

        /** The host's mapper, copied and then set to the contract's JSON conventions (snake_case, ISO instants). */
        public Builder objectMapper(ObjectMapper value) {
            this.objectMapper = Objects.requireNonNull(value, "null objectMapper");
            return this;
        }

        /** Peer addresses of proxies whose {@code X-Forwarded-For} is believed; none by default. */
        public Builder trustedProxies(Collection<String> value) {
            this.trustedProxies = Set.copyOf(value);
            return this;
        }

        /** Origins allowed to call the routes from a browser (e.g. {@code https://app.example.com}); none by default. */
        public Builder allowedOrigins(Collection<String> value) {
            this.allowedOrigins = Set.copyOf(value);
            return this;
        }

        /**
         * The secret (at least 32 random bytes) under which cookie sessions' CSRF tokens are made; give every instance
         * the same one, and keep it across restarts. Without it, the key is derived from the accounts'
         * {@link HostSecret} (tokens under its previous secrets still accepted).
         */
        public Builder csrfKey(byte[] value) {
            Objects.requireNonNull(value, "null csrfKey");
            if (value.length < Csrf.MIN_KEY_BYTES) {
                throw new IllegalArgumentException("The CSRF key must be at least " + Csrf.MIN_KEY_BYTES
                        + " bytes, was " + value.length);
            }
            this.csrfKey = value.clone();
            return this;
        }

        /**
         * The URL browsers reach the host at (e.g. {@code https://app.example.com}): its origin is the only one a
         * cookie-authenticated request may come from. Without it, the request's own scheme and {@code Host}.
         */
        public Builder publicUrl(URI value) {
            Objects.requireNonNull(value, "null publicUrl");
            if (value.getHost() == null || !List.of("http", "https").contains(String.valueOf(value.getScheme()))) {
                throw new IllegalArgumentException("The public URL must be an absolute http:// or https:// URL, was '"
                        + value + "'");
            }
            this.publicUrl = value;
            return this;
        }

        /**
         * For hosts serving plain HTTP beyond localhost only: session cookies without {@code Secure}, named
         * {@code accounts_session} and {@code accounts_refresh} (the {@code __Host-}/{@code __Secure-} prefixes
         * need {@code Secure}). Browsers treat {@code http://localhost} as secure, so local development needs no
         * opt-out there.
         */
        public Builder insecureCookies(boolean value) {
            this.insecureCookies = value;
            return this;
        }

        /** The clock the cookies' {@code Max-Age} is counted on; give the one {@link Accounts} uses. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "null clock");
            return this;
        }

        /**
         * Serves the real-time channel's WebSocket at {@code {prefix}/events/socket} of the first mount on each
         * server; give the same {@link Realtime} whose {@link Realtime#listener()} the accounts were built with.
         */
        public Builder realtime(Realtime value) {
            this.realtime = Objects.requireNonNull(value, "null realtime");
            return this;
        }

        /** The routes; refuses without a CSRF key ({@link #csrfKey}, or the accounts' {@link HostSecret}). */
        public AccountsRoutes build() {
            return new AccountsRoutes(this);
        }
    }
}
