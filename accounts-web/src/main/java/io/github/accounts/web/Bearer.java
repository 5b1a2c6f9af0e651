package io.github.accounts.web;

import spark.Request;

/** Reading {@code Authorization: Bearer <token>} and the matching {@code WWW-Authenticate} challenge. */
final class Bearer {
    private static final String PREFIX = "bearer ";

    private Bearer() {
    }

    /** The token of the request, or null when it sends none. */
    static String token(Request req) {
        String header = req.headers("Authorization");
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String token = header.substring(PREFIX.length()).strip();
        return token.isEmpty() ? null : token;
    }

    /** RFC 6750: a bare challenge when no token came, {@code error="invalid_token"} when a token failed. */
    static String challenge(Request req) {
        return token(req) == null ? "Bearer" : "Bearer error=\"invalid_token\"";
    }
}
