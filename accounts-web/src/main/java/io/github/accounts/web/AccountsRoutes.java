package io.github.accounts.web;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import spark.Filter;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;
import spark.Spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final Accounts accounts;
    private final Endpoints endpoints;
    private final ObjectMapper json;
    private final Problems problems;
    private final ClientAddress clientAddress;
    private final Cors cors;

    private AccountsRoutes(Builder b) {
        this.accounts = b.accounts;
        this.endpoints = new Endpoints(b.accounts);
        this.json = configure(b.objectMapper);
        this.problems = new Problems(json);
        this.clientAddress = new ClientAddress(b.trustedProxies);
        this.cors = new Cors(b.allowedOrigins);
    }

    /** Starts building routes over {@code accounts}. */
    public static Builder builder(Accounts accounts) {
        return new Builder(accounts);
    }

    /** Mounts every route under {@code prefix} (e.g. {@code /accounts}) on a Spark service instance. */
    public void mount(Service http, String prefix) {
        Objects.requireNonNull(http, "null http");
        mount(prefix, (method, path, route) -> {
            switch (method) {
                case "GET" -> http.get(path, route);
                case "POST" -> http.post(path, route);
                case "PUT" -> http.put(path, route);
                case "PATCH" -> http.patch(path, route);
                case "DELETE" -> http.delete(path, route);
                default -> http.options(path, route);
            }
        });
    }

    /** Mounts every route under {@code prefix} on the static {@code Spark.*} server, for hosts that use it. */
    public void mountOnStaticSpark(String prefix) {
        mount(prefix, (method, path, route) -> {
            switch (method) {
                case "GET" -> Spark.get(path, route);
                case "POST" -> Spark.post(path, route);
                case "PUT" -> Spark.put(path, route);
                case "PATCH" -> Spark.patch(path, route);
                case "DELETE" -> Spark.delete(path, route);
                default -> Spark.options(path, route);
            }
        });
    }

    /**
     * A before-filter for host routes: lets a request with a valid session token through (see {@link #current}),
     * answers anything else with the contract's 401 problem.
     */
    public Filter guard() {
        return (req, res) -> {
            try {
                req.attribute(CURRENT, accounts.authenticate(Bearer.token(req)));
            } catch (AccountsException e) {
                String body = problems.write(req, res, e);
                sized(res, body.getBytes(StandardCharsets.UTF_8));
                Spark.halt(res.status(), body);
            }
        };
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

    @FunctionalInterface
    private interface RouteSink {
        void add(String method, String path, Route route);
    }

    private void mount(String prefix, RouteSink sink) {
        Objects.requireNonNull(prefix, "null prefix");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("The prefix must be empty or start with '/' and not end with it, was '"
                    + prefix + "'");
        }
        for (Endpoints.Endpoint e : endpoints.all()) {
            sink.add(e.method(), prefix + e.path(), route(e.status(), e.handler()));
        }
        byte[] openApi = openApiDocument(prefix).getBytes(StandardCharsets.UTF_8);
        sink.add("GET", prefix + "/openapi.json", (req, res) -> {
            cors.decorate(req, res);
            res.type("application/json");
            return sized(res, openApi);
        });
        if (cors.enabled()) {
            sink.add("OPTIONS", prefix + "/*", cors::preflight);
        }
        // Registered last, so they only catch what no route above matched: the host's 404 page stays its own.
        Route notFound = route(404, x -> {
            throw HttpProblem.notFound();
        });
        for (String method : METHODS) {
            sink.add(method, prefix + "/*", notFound);
            sink.add(method, prefix.isEmpty() ? "/" : prefix, notFound);
        }
    }

    /** Wraps a handler: CORS, the success status and JSON, and every failure through {@link Problems}. */
    private Route route(int status, Endpoints.Handler handler) {
        return (req, res) -> {
            cors.decorate(req, res);
            try {
                Object out = handler.handle(new Exchange(req, res, accounts, json, clientAddress));
                res.status(status);
                res.header("Cache-Control", "no-store");
                if (out == null) {
                    return sized(res, new byte[0]);
                }
                res.type("application/json");
                return sized(res, json.writeValueAsBytes(out));
            } catch (Exception failure) {
                return sized(res, problems.write(req, res, failure).getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    /**
     * Gives an answer its {@code Content-Length} (none on a 204), so Jetty sends it in one write instead of
     * chunked with a second write for the last chunk: profiled, that second syscall cost more per request on
     * loopback than authenticating the caller.
     */
    static byte[] sized(Response res, byte[] body) {
        if (res.status() != 204) {
            res.header("Content-Length", Integer.toString(body.length));
        }
        return body;
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
        // Bounded parsing work: shallow nesting, no string longer than a body may be.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxStringLength(JsonBody.MAX_BYTES).build());
        return mapper;
    }

    /** Builds {@link AccountsRoutes}; by default no trusted proxies and no cross-origin access. */
    public static final class Builder {
        private final Accounts accounts;
        private ObjectMapper objectMapper = new ObjectMapper();
        private Set<String> trustedProxies = Set.of();
        private Set<String> allowedOrigins = Set.of();

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

        public AccountsRoutes build() {
            return new AccountsRoutes(this);
        }
    }
}
