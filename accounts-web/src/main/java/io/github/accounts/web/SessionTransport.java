package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.web.dto.CookieSessionBody;
import io.github.accounts.web.dto.IssuedSessionBody;
import io.github.accounts.web.dto.SessionBody;
import spark.Request;
import spark.Response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How a session travels. Bearer (v1, the default): tokens in the body, the session token back in
 * {@code Authorization}. Cookie (asked per request with {@code X-Session-Transport: cookie}): tokens only in
 * {@code HttpOnly} cookies that page scripts cannot read, the body carrying the CSRF token instead, and every
 * cookie-authenticated unsafe request checked by {@link Csrf}. One instance per mount (the refresh cookie's path
 * is under the prefix). Thread-safe.
 */
final class SessionTransport {
    static final String MODE_HEADER = "X-Session-Transport";

    private final Accounts accounts;
    private final Csrf csrf;
    private final Clock clock;
    private final boolean insecure;
    private final String sessionCookie;
    private final String refreshCookie;
    private final String secure;
    private final String refreshPath;

    /** {@code insecure}: plain-HTTP cookies, without {@code Secure} and so without the name prefixes that need it. */
    SessionTransport(Accounts accounts, Csrf csrf, Clock clock, boolean insecure) {
        this(accounts, csrf, clock, insecure, "/sessions/refresh");
    }

    private SessionTransport(Accounts accounts, Csrf csrf, Clock clock, boolean insecure, String refreshPath) {
        this.accounts = accounts;
        this.csrf = csrf;
        this.clock = clock;
        this.insecure = insecure;
        this.sessionCookie = insecure ? "accounts_session" : "__Host-accounts_session";
        this.refreshCookie = insecure ? "accounts_refresh" : "__Secure-accounts_refresh";
        this.secure = insecure ? "" : "; Secure";
        this.refreshPath = refreshPath;
    }

    /** The same transport for routes mounted under {@code prefix}. */
    SessionTransport mountedAt(String prefix) {
        return new SessionTransport(accounts, csrf, clock, insecure, prefix + "/sessions/refresh");
    }

    /**
     * The request's session: from {@code Authorization} when it sends one, else from the session cookie, and then,
     * for an unsafe method, only with the session's CSRF token and no foreign {@code Origin}.
     */
    Authenticated authenticate(Request req) {
        String cookie = req.headers("Authorization") == null ? req.cookie(sessionCookie) : null;
        if (cookie == null) {
            return accounts.sessions().authenticate(Bearer.token(req));
        }
        boolean unsafe = Csrf.unsafe(req);
        if (unsafe) {
            csrf.checkOrigin(req); // before the lookup: a foreign page learns nothing about the cookie
        }
        Authenticated who = accounts.sessions().authenticate(cookie);
        if (unsafe) {
            csrf.check(req, who.sessionId());
        }
        return who;
    }

    /**
     * What a WebSocket upgrade's session cookie proves: nothing without a cookie (null: the socket authenticates
     * by message), otherwise the session, or {@link RealtimeSockets#REFUSED} for one that does not work; a foreign
     * {@code Origin} with the cookie is {@code csrf_failed} (cross-site WebSocket hijacking).
     */
    Object upgrade(Request req) {
        String cookie = req.cookie(sessionCookie);
        if (cookie == null) {
            return null;
        }
        csrf.checkOrigin(req);
        try {
            return accounts.sessions().authenticate(cookie);
        } catch (AccountsException e) {
            if (e.code() != ErrorCode.UNAUTHENTICATED) {
                throw e; // the database is away: 503, not a socket told it is signed out
            }
            return RealtimeSockets.REFUSED;
        }
    }

    /** A session cookie from a foreign {@code Origin} is {@code csrf_failed}; the cookie is not checked (null). */
    Object checkCookieOrigin(Request req) {
        if (req.cookie(sessionCookie) != null) {
            csrf.checkOrigin(req);
        }
        return null;
    }

    /** Whether the client asked for cookie transport on this request. */
    boolean cookieMode(Request req) {
        return "cookie".equalsIgnoreCase(req.headers(MODE_HEADER));
    }

    /** The update token of a cookie-mode refresh, from its cookie; a foreign {@code Origin} is refused. */
    String updateTokenCookie(Request req) {
        csrf.checkOrigin(req);
        String token = req.cookie(refreshCookie);
        if (token == null) {
            throw AccountsException.of(ErrorCode.INVALID_UPDATE_TOKEN, "No refresh cookie was sent.");
        }
        return token;
    }

    /** The session as the answer's body carries it; in cookie mode its tokens go into cookies instead. */
    SessionBody issue(Request req, Response res, IssuedSession s) {
        if (!cookieMode(req)) {
            return IssuedSessionBody.of(s);
        }
        setCookie(res, sessionCookie, s.sessionToken(), "/", "Lax", s.expiresAt());
        setCookie(res, refreshCookie, s.updateToken(), refreshPath, "Strict", s.refreshExpiresAt());
        return new CookieSessionBody(s.id(), s.expiresAt(), s.refreshExpiresAt(), csrf.token(s.id()));
    }

    /** The CSRF token of the request's session. */
    String csrfToken(Authenticated who) {
        return csrf.token(who.sessionId());
    }

    /** Deletes both cookies in the browser, on the answer to a request that came with the session cookie. */
    void clear(Request req, Response res) {
        if (req.headers("Authorization") == null && req.cookie(sessionCookie) != null) {
            setCookie(res, sessionCookie, "", "/", "Lax", null);
            setCookie(res, refreshCookie, "", refreshPath, "Strict", null);
        }
    }

    /** {@code until} null: {@code Max-Age=0}, which deletes the cookie. */
    private void setCookie(Response res, String name, String value, String path, String sameSite, Instant until) {
        long maxAge = until == null ? 0 : Math.max(0, Duration.between(clock.instant(), until).toSeconds());
        res.raw().addHeader("Set-Cookie", name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + secure
                + "; HttpOnly; SameSite=" + sameSite);
    }
}
