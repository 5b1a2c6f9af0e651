package io.github.accounts.demo;

import spark.Request;
import spark.Response;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cookie side of {@code GET /demo/session} ({@link DemoRoutes}): whether this browser may hold a session, told
 * with an answer that never fails, so that a signed-out load of the page asks nothing that would answer 401 (each
 * such answer is an error in the browser's console).
 * The session and refresh cookies are HttpOnly, and the refresh cookie only goes to its own path, so the page cannot
 * see them and this host sees only the first: a hint cookie of the host's own (HttpOnly, no secret in it) follows the
 * refresh cookie's lifetime, set whenever an answer under the accounts prefix sets that one, and dropped on a
 * sign-out and when a refresh is refused. Thread-safe.
 */
final class SessionHint {
    private static final Pattern MAX_AGE = Pattern.compile("(?i);\\s*Max-Age=(\\d+)");

    private final String prefix;
    private final String sessionCookie;
    private final String refreshCookie;
    private final String hintCookie;
    private final String secure;

    /** {@code insecureCookies}: the names and attributes of the plain-HTTP cookies, as accounts-web's. */
    SessionHint(String prefix, boolean insecureCookies) {
        this.prefix = prefix;
        this.sessionCookie = insecureCookies ? "accounts_session" : "__Host-accounts_session";
        this.refreshCookie = insecureCookies ? "accounts_refresh" : "__Secure-accounts_refresh";
        this.hintCookie = insecureCookies ? "demo_signed_in" : "__Host-demo_signed_in";
        this.secure = insecureCookies ? "" : "; Secure";
    }

    /** Whether the request came with the session cookie. */
    boolean session(Request req) {
        return req.cookie(sessionCookie) != null;
    }

    /** Whether a refresh cookie should still be in the browser (the hint says so). */
    boolean refresh(Request req) {
        return req.cookie(hintCookie) != null;
    }

    /**
     * Before each request under the prefix: a sign-out (of this session or of all) drops the hint. Its answer has no
     * body and is sent as soon as the route returns, too early for {@link #follow} to add to it.
     */
    void beforeSignOut(Request req, Response res) {
        String path = req.raw().getRequestURI();
        if ("DELETE".equals(req.requestMethod())
                && (path.equals(prefix + "/sessions/current") || path.equals(prefix + "/sessions"))) {
            setHint(res, "0");
        }
    }

    /** After each answer under the prefix: the hint follows the refresh cookie, and a refused refresh drops it. */
    void follow(Request req, Response res) {
        String maxAge = null;
        for (String cookie : List.copyOf(res.raw().getHeaders("Set-Cookie"))) {
            if (cookie.startsWith(refreshCookie + "=")) {
                Matcher m = MAX_AGE.matcher(cookie);
                maxAge = m.find() ? m.group(1) : "0";
            }
        }
        if (maxAge == null && res.status() == 401 && req.cookie(hintCookie) != null
                && req.raw().getRequestURI().equals(prefix + "/sessions/refresh")) {
            maxAge = "0";
        }
        if (maxAge != null && !res.raw().isCommitted()) {
            setHint(res, maxAge);
        }
    }

    private void setHint(Response res, String maxAge) {
        res.raw().addHeader("Set-Cookie", hintCookie + "=" + ("0".equals(maxAge) ? "" : "1") + "; Path=/; Max-Age="
                + maxAge + secure + "; HttpOnly; SameSite=Lax");
    }
}
