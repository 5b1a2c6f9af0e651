package io.github.accounts.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Authenticated;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.AdminRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * Everything demo-app serves, as one table in {@link #mount}: the home page, health checks, the accounts routes
 * under {@code /accounts}, the guarded {@code /api}, and the host's own 404 page. Also logs one line per request
 * (method, path without query, status, milliseconds), which never holds a token or password since those travel
 * in headers and bodies. Thread-safe.
 */
final class DemoRoutes {
    static final String ACCOUNTS_PREFIX = "/accounts";
    private static final Logger log = LoggerFactory.getLogger("http");
    private static final String STARTED = DemoRoutes.class.getName() + ".started";
    /** Sent on every answer: by a filter on Spark's, and by Jetty on its own error answers (see Main). */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");

    private final AccountsRoutes accounts;
    private final AdminRoutes admin;
    private final DataSource dataSource;
    private final Greetings greetings;
    private final ObjectMapper json;
    private final SessionHint sessionHint;

    private final boolean passkeys;

    /** {@code passkeys}: whether accounts has a relying party (the passkey routes answer 404 without one). */
    DemoRoutes(AccountsRoutes accounts, AdminRoutes admin, DataSource dataSource, Greetings greetings,
               ObjectMapper json, boolean insecureCookies, boolean passkeys) {
        this.accounts = accounts;
        this.sessionHint = new SessionHint(ACCOUNTS_PREFIX, insecureCookies);
        this.passkeys = passkeys;
        this.admin = admin;
        this.dataSource = dataSource;
        this.greetings = greetings;
        this.json = json;
    }

    /** The demo's greeting body. */
    record Greeting(String message) {
    }

    /** What the page asks first: which session cookies came (see {@link SessionHint}), and whether passkeys work. */
    record PageSession(boolean session, boolean refresh, boolean passkeys) {
    }

    /** An RFC 9457 problem, shaped like accounts-web's. */
    record Problem(String type, String title, int status, String detail, String code) {
        static Problem of(int status, String title, String code, String detail) {
            return new Problem("urn:accounts:problem:" + code, title, status, detail, code);
        }
    }

    /** Installs every filter and route on {@code http}, before it starts. */
    void mount(Service http) {
        // First: it registers the real-time socket, which Spark takes only before any route or filter.
        accounts.mount(http, ACCOUNTS_PREFIX);
        http.before((req, res) -> startTimer(req, res));
        http.afterAfter((req, res) -> logRequest(req, res));
        http.before(ACCOUNTS_PREFIX + "/*", sessionHint::beforeSignOut);
        http.afterAfter(ACCOUNTS_PREFIX + "/*", sessionHint::follow);

        http.get("/", page("index.html", "text/html"));
        http.get("/app.css", page("app.css", "text/css"));
        http.get("/app.js", page("app.js", "text/javascript"));
        http.get("/devices.js", page("devices.js", "text/javascript"));
        http.get("/email.js", page("email.js", "text/javascript"));
        http.get("/activity.js", page("activity.js", "text/javascript"));
        http.get("/passkeys.js", page("passkeys.js", "text/javascript"));
        http.get("/mfa.js", page("mfa.js", "text/javascript"));
        http.get("/email-sign-in.js", page("email-sign-in.js", "text/javascript"));
        http.get("/reauth.js", page("reauth.js", "text/javascript"));
        http.get("/federation.js", page("federation.js", "text/javascript"));
        http.get("/mail-links.js", page("mail-links.js", "text/javascript"));
        http.post("/demo/totp-qr.svg", this::totpQr);
        http.get("/demo/session", this::session);
        http.get("/livez", this::livez);
        http.get("/readyz", this::readyz);

        admin.mount(http, "/admin/accounts");

        http.before("/api/*", accounts.guard());
        http.get("/api/greeting", this::greeting);
        http.get("/api/*", this::apiNotFound);
        http.post("/api/*", this::apiNotFound);
        http.put("/api/*", this::apiNotFound);
        http.patch("/api/*", this::apiNotFound);
        http.delete("/api/*", this::apiNotFound);

        http.exception(Exception.class, this::unexpected);
        // With the real-time socket registered, Spark leaves what no route matched to Jetty's handler after it
        // (the socket's), so its notFound page would never show: catch-all routes, mapped last, serve it instead.
        String notFoundPage = resource("404.html");
        Route notFound = (req, res) -> {
            res.status(404);
            res.type("text/html;charset=utf-8");
            return notFoundPage;
        };
        http.get("*", notFound);
        http.post("*", notFound);
        http.put("*", notFound);
        http.patch("*", notFound);
        http.delete("*", notFound);
        http.options("*", notFound);
    }

    private void startTimer(Request req, Response res) {
        req.attribute(STARTED, System.nanoTime());
        SECURITY_HEADERS.forEach(res::header);
    }

    private void logRequest(Request req, Response res) {
        Long started = req.attribute(STARTED);
        long ms = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        // The raw URI: no query string, and not percent-decoded, so a path cannot forge a log line.
        log.info("{} {} {} {} ms", req.requestMethod(), req.raw().getRequestURI(), res.status(), ms);
    }

    /** The page's first question, answered from the request's cookies alone: it never fails. */
    private Object session(Request req, Response res) throws JsonProcessingException {
        res.header("Cache-Control", "no-store");
        res.type("application/json");
        return json.writeValueAsString(new PageSession(sessionHint.session(req), sessionHint.refresh(req), passkeys));
    }

    private Object livez(Request req, Response res) {
        res.type("text/plain;charset=utf-8");
        return "ok";
    }

    /** Ready when a pooled connection answers within a second; the pool's own wait is two seconds at most. */
    private Object readyz(Request req, Response res) {
        res.type("text/plain;charset=utf-8");
        res.header("Cache-Control", "no-store");
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(1)) {
                return "ready";
            }
        } catch (SQLException e) {
            // not ready; the status says so and the request log records it
        }
        res.status(503);
        return "database unreachable";
    }

    private Object greeting(Request req, Response res) throws JsonProcessingException {
        Authenticated who = AccountsRoutes.current(req);
        res.header("Cache-Control", "no-store");
        try {
            greetings.record(who.userId());
        } catch (SQLException e) {
            log.warn("Database unavailable: {}", e.toString());
            res.header("Retry-After", "5");
            return problem(res, Problem.of(503, "Service Unavailable", "unavailable",
                    "The database is unreachable; try again in a few seconds."));
        }
        res.type("application/json");
        return json.writeValueAsString(new Greeting("Hello, " + who.user().fname() + "!"));
    }

    /** Host routes' unexpected failures: logged with an id, answered without details (accounts-web has its own). */
    private void unexpected(Exception e, Request req, Response res) {
        String id = UUID.randomUUID().toString();
        log.error("Unexpected failure {} on {} {}", id, req.requestMethod(), req.raw().getRequestURI(), e);
        try {
            res.body(problem(res, Problem.of(500, "Internal Server Error", "internal_error",
                    "Something went wrong on our side; the server log has the details under " + id + ".")));
        } catch (JsonProcessingException impossible) {
            res.body("");
        }
    }

    private String problem(Response res, Problem problem) throws JsonProcessingException {
        res.status(problem.status());
        res.type("application/problem+json");
        return json.writeValueAsString(problem);
    }

    /**
     * The QR code of {@code {"otpauth_uri"}} as SVG, for the page's TOTP enrolment. It needs no session: it stores
     * nothing and knows no one, it only draws what it is sent (a secret the sender already has).
     */
    private Object totpQr(Request req, Response res) throws IOException {
        res.header("Cache-Control", "no-store");
        String uri = null;
        String type = String.valueOf(req.contentType());
        int length = req.contentLength();
        if (length > 0 && length <= 2 * TotpQr.MAX_URI && type.startsWith("application/json")) {
            try {
                uri = json.readTree(req.bodyAsBytes()).path("otpauth_uri").asText(null);
            } catch (JsonProcessingException malformed) {
                uri = null; // answered below, like any other body that is not the one expected
            }
        }
        String svg = TotpQr.svg(uri);
        if (svg == null) {
            return problem(res, Problem.of(400, "Bad Request", "validation_failed",
                    "Send {\"otpauth_uri\": \"otpauth://totp/...\"} as JSON."));
        }
        res.type("image/svg+xml");
        return svg;
    }

    private Object apiNotFound(Request req, Response res) throws JsonProcessingException {
        return problem(res, Problem.of(404, "Not Found", "not_found", "There is no such API route."));
    }

    private static Route page(String name, String type) {
        String body = resource(name);
        return (req, res) -> {
            res.type(type + ";charset=utf-8");
            return body;
        };
    }

    private static String resource(String name) {
        try (InputStream in = DemoRoutes.class.getResourceAsStream("public/" + name)) {
            if (in == null) {
                throw new IllegalStateException("public/" + name + " is missing from demo-app's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
