package io.github.accounts.web;

import spark.Request;
import spark.Response;

import java.io.IOException;
import java.util.Set;

/**
 * Cross-origin access, off unless the host lists origins. Bearer tokens travel in a header, so no credentials
 * mode is ever granted; listed origins get the CORS headers and their preflights answered, others nothing.
 */
final class Cors {
    private final Set<String> origins;

    Cors(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    boolean enabled() {
        return !origins.isEmpty();
    }

    /** Adds the CORS headers to a response when the request comes from an allowed origin. */
    void decorate(Request req, Response res) {
        String origin = req.headers("Origin");
        if (origin != null && origins.contains(origin)) {
            res.header("Access-Control-Allow-Origin", origin);
            res.header("Access-Control-Expose-Headers", "Retry-After, WWW-Authenticate");
            res.header("Vary", "Origin");
        }
    }

    /** Answers a preflight {@code OPTIONS} request: 204, with permissions only for an allowed origin. */
    Object preflight(Request req, Response res) throws IOException {
        decorate(req, res);
        if (origins.contains(req.headers("Origin"))) {
            res.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
            res.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            res.header("Access-Control-Max-Age", "600");
        }
        res.status(204);
        return RouteAdapter.empty(res);
    }
}
