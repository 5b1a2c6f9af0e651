package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import spark.Filter;
import spark.Request;
import spark.Response;
import spark.Route;
import spark.Service;
import spark.Spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Spark on one side, endpoint tables on the other: the one place that registers routes, checks a mount's prefix,
 * turns a handler's result into JSON or a bodiless 204/202, every failure into a problem through {@link Problems},
 * reads a path's {@code :id}, and answers what no row matched with 404. {@link AccountsRoutes} and
 * {@link AdminRoutes} both mount through it. Thread-safe.
 */
final class RouteAdapter {
    /** What the catch-all answers, whatever the method and path: no row matched. */
    private static final Endpoint NO_SUCH_ROUTE = new Endpoint("*", "/*", 404, x -> {
        throw HttpProblem.notFound();
    });

    private final ObjectMapper json;
    private final Problems problems;
    private final ClientAddress clientAddress;
    private final Cors cors;

    RouteAdapter(ObjectMapper json, ClientAddress clientAddress, Cors cors) {
        this.json = json;
        this.problems = new Problems(json);
        this.clientAddress = clientAddress;
        this.cors = cors;
    }

    /** One route: method, path under the prefix, success status, body it takes, handler. */
    record Endpoint(String method, String path, int status, Body body, Handler handler) {
        /** A route that takes a JSON body. */
        Endpoint(String method, String path, int status, Handler handler) {
            this(method, path, status, Body.JSON, handler);
        }
    }

    /** What a route takes: a JSON object, or no body at all (an empty one counts as none). */
    enum Body { JSON, NONE }

    /**
     * An answer written as it is made (a data export): its type, its {@code Content-Disposition} (null for none), and
     * what writes its body. A failure before the first byte left is a problem as usual; after it, the connection is
     * cut, so a client never takes a partial body for a whole one.
     */
    record Streamed(String contentType, String disposition, BodyWriter writer) {
    }

    /** A {@link Streamed} answer that failed after part of it left. */
    private static final class StreamCut extends RuntimeException {
        StreamCut(Exception cause) {
            super(cause);
        }
    }

    /** Writes a {@link Streamed} answer's body. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A handler's answer with a status other than its route's usual one. */
    record Answer(int status, Object body) {
    }

    /** Reads the request, calls core, returns the answer's body: null for none, or an {@link Answer}. */
    @FunctionalInterface
    interface Handler {
        Object handle(Exchange x);
    }

    /**
     * What every route of a table runs before its handler, after the body check: the admin routes authenticate the
     * operator here. It returns who it let in (see {@link Exchange#admitted()}), or null when it checks nobody.
     */
    @FunctionalInterface
    interface Gate {
        Gate OPEN = x -> null;

        Authenticated admit(Exchange x);
    }

    /** Where routes go: a Spark service, or the static {@code Spark.*} server. */
    @FunctionalInterface
    interface Sink {
        /** A pseudo-method: a before-filter on the path. */
        String BEFORE = "BEFORE";

        void add(String method, String path, Route route);

        static Sink of(Service http) {
            Objects.requireNonNull(http, "null http");
            return new Calls(http::before, http::get, http::head, http::post, http::put, http::patch, http::delete,
                    http::options)::add;
        }

        static Sink ofStaticSpark() {
            return new Calls(Spark::before, Spark::get, Spark::head, Spark::post, Spark::put, Spark::patch,
                    Spark::delete, Spark::options)::add;
        }
    }

    /** Spark's registration calls, of a service or of the static server; {@link #add} is the one method switch. */
    private record Calls(BiConsumer<String, Filter> before, BiConsumer<String, Route> get,
                         BiConsumer<String, Route> head, BiConsumer<String, Route> post, BiConsumer<String, Route> put,
                         BiConsumer<String, Route> patch, BiConsumer<String, Route> delete,
                         BiConsumer<String, Route> options) {
        void add(String method, String path, Route route) {
            switch (method) {
                case Sink.BEFORE -> before.accept(path, route::handle);
                case "GET" -> get.accept(path, route);
                case "HEAD" -> head.accept(path, route);
                case "POST" -> post.accept(path, route);
                case "PUT" -> put.accept(path, route);
                case "PATCH" -> patch.accept(path, route);
                case "DELETE" -> delete.accept(path, route);
                case "OPTIONS" -> options.accept(path, route);
                default -> throw new IllegalArgumentException("Spark routes no method '" + method + "' here");
            }
        }
    }

    /**
     * The one prefix rule for every mount: empty (the routes own the server's root), or a path that starts with '/'
     * and does not end with it.
     */
    static void checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "null prefix");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("The prefix must be empty or start with '/' and not end with it, was '"
                    + prefix + "'");
        }
    }

    /** The prefix itself as a path Spark matches: "/" for the empty prefix. */
    static String bare(String prefix) {
        return prefix.isEmpty() ? "/" : prefix;
    }

    /**
     * Registers each row of {@code table} under {@code prefix}; with {@code headLikeGet}, each GET row answers HEAD
     * too (the accounts routes do; the admin routes leave HEAD to Spark, as they always have).
     */
    void addAll(Sink sink, String prefix, List<Endpoint> table, SessionTransport transport, Gate gate,
                boolean headLikeGet) {
        for (Endpoint e : table) {
            Route route = route(e, transport, gate);
            sink.add(e.method(), prefix + e.path(), route);
            if (headLikeGet && e.method().equals("GET")) {
                sink.add("HEAD", prefix + e.path(), route); // the same answer; Jetty leaves the body out
            }
        }
    }

    /**
     * Answers {@code methods} under {@code paths} with the 404 problem, after the gate; registered last, they catch
     * only what no route above matched, so the host's own 404 page stays its own.
     */
    void notFound(Sink sink, List<String> paths, List<String> methods, SessionTransport transport, Gate gate) {
        Route route = route(NO_SUCH_ROUTE, transport, gate);
        for (String method : methods) {
            paths.forEach(path -> sink.add(method, path, route));
        }
    }

    /**
     * Wraps a row's handler: CORS, refusing a body where the row takes none, the gate, then the success status with
     * JSON (or no body and no {@code Content-Type}), {@code Cache-Control: no-store}, and every failure through
     * {@link Problems}.
     */
    Route route(Endpoint e, SessionTransport transport, Gate gate) {
        return (req, res) -> {
            cors.decorate(req, res);
            try {
                if (e.body() == Body.NONE) {
                    JsonBody.requireNone(req);
                }
                Exchange x = new Exchange(req, res, transport, json, clientAddress);
                x.admit(gate.admit(x));
                return answer(res, e.status(), handle(e.handler(), x));
            } catch (StreamCut cut) {
                // Part of the body left already: no problem can follow it, so the connection is cut.
                org.eclipse.jetty.server.Request.getBaseRequest(ServletRequests.beneathSpark(req)).getHttpChannel()
                        .abort(cut.getCause());
                return "";
            } catch (Exception failure) {
                return problem(req, res, failure);
            }
        };
    }

    private static Object handle(Handler handler, Exchange x) {
        try {
            return handler.handle(x);
        } catch (AccountsException refused) {
            throw x.refusal(refused);
        }
    }

    private Object answer(Response res, int status, Object out) throws IOException {
        if (out instanceof Answer a) {
            status = a.status();
            out = a.body();
        }
        res.status(status);
        res.header("Cache-Control", "no-store");
        if (out == null) {
            return empty(res);
        }
        if (out instanceof Streamed s) {
            return stream(res, s);
        }
        res.type("application/json");
        return sized(res, json.writeValueAsBytes(out));
    }

    private static Object stream(Response res, Streamed s) throws IOException {
        res.type(s.contentType());
        if (s.disposition() != null) {
            res.header("Content-Disposition", s.disposition());
        }
        OutputStream out = res.raw().getOutputStream();
        try {
            s.writer().writeTo(out);
        } catch (IOException | RuntimeException e) {
            if (!res.raw().isCommitted()) {
                res.raw().reset(); // nothing left yet: the problem answers instead
                throw e;
            }
            throw new StreamCut(e);
        }
        out.close();
        return "";
    }

    /** Writes the problem for {@code failure} onto {@code res}; the body, sized. */
    byte[] problem(Request req, Response res, Exception failure) {
        return sized(res, problems.write(req, res, failure).getBytes(StandardCharsets.UTF_8));
    }

    /** The path's {@code :id} as a number; 404 {@code not_found} with the route's own {@code message} otherwise. */
    static long pathId(Exchange x, String message) {
        try {
            return Long.parseLong(x.req.params(":id"));
        } catch (NumberFormatException e) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, message);
        }
    }

    /**
     * Sends an answer without a body (202, 204) and without a {@code Content-Type}: closing the output commits the
     * answer as it is, before Spark would label it {@code text/html}.
     */
    static Object empty(Response res) throws IOException {
        sized(res, new byte[0]);
        res.raw().getOutputStream().close();
        return "";
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
}
