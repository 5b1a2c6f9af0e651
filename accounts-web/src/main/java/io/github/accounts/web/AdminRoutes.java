package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.SecondFactorPolicy;
import io.github.accounts.core.operator.ManagedUser;
import io.github.accounts.web.RouteAdapter.Endpoint;
import io.github.accounts.web.dto.ManagedUserBody;
import io.github.accounts.web.dto.Responses.EventList;
import io.github.accounts.web.dto.Responses.ManagedUserEnvelope;
import io.github.accounts.web.dto.Responses.UserList;
import spark.Request;
import spark.Service;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operators' routes of the contract ("Admin routes"), mounted apart from {@link AccountsRoutes} under a prefix
 * of the host's (e.g. {@code /admin/accounts}). The host decides who is an operator with a predicate over the
 * authenticated session: anyone else gets 403 {@code forbidden}, a request without a session 401. An operator whose
 * email is not verified gets 409 {@code email_not_verified}, and one without TOTP where the profile requires a second
 * factor 403 {@code mfa_required}. Each action is recorded, with the operator's address and user agent, on the
 * target's account and on the operator's own. Mount it before an {@link AccountsRoutes} at an enclosing prefix, whose
 * catch-all 404 would otherwise answer first. Thread-safe.
 *
 * <pre>{@code
 * AdminRoutes.builder(accounts).operators(who -> admins.contains(who.user().email()))
 *         .build().mount(http, "/admin/accounts");
 * }</pre>
 */
public final class AdminRoutes {
    private final Accounts accounts;
    private final Predicate<Authenticated> operators;
    private final RouteAdapter adapter;
    private final SessionTransport transport;
    private final SecondFactorPolicy secondFactor;
    private final WebhookRoutes webhooks;

    private AdminRoutes(Builder b) {
        this.accounts = b.accounts;
        this.operators = Objects.requireNonNull(b.operators,
                "Say who the operators are: AdminRoutes.builder(accounts).operators(predicate)");
        // The operator's address as the accounts routes read it (their trusted proxies), or the socket's peer.
        ClientAddress clientAddress = b.sessionsOf == null ? new ClientAddress(Set.of()) : b.sessionsOf.clientAddress();
        this.adapter = new RouteAdapter(AccountsRoutes.configure(b.objectMapper), clientAddress, new Cors(Set.of()));
        this.transport = b.sessionsOf == null ? null : b.sessionsOf.transport();
        this.secondFactor = b.accounts.config().secondFactor();
        this.webhooks = new WebhookRoutes(b.accounts);
    }

    /** Starts building the admin routes over {@code accounts}. */
    public static Builder builder(Accounts accounts) {
        return new Builder(accounts);
    }

    /** A handler gets the request and the operator it was checked for; it returns the body, null for none. */
    @FunctionalInterface
    interface Handler {
        Object handle(Exchange x, Authenticated operator);
    }

    /** The operators' surface, as a table. */
    List<Endpoint> all() {
        return List.of(
                admin("GET", "/users", 200, this::users),
                admin("GET", "/users/:id", 200, this::user),
                admin("POST", "/users/:id/disable", 200, this::disable),
                admin("POST", "/users/:id/enable", 200, this::enable),
                admin("DELETE", "/users/:id/sessions", 204, this::signOut),
                admin("DELETE", "/users/:id/throttle", 204, this::clearThrottle),
                admin("GET", "/users/:id/events", 200, this::events),
                admin("POST", "/webhooks", 201, webhooks::create),
                admin("GET", "/webhooks", 200, webhooks::list),
                admin("DELETE", "/webhooks/:id", 204, webhooks::delete),
                admin("GET", "/webhooks/:id/deliveries", 200, webhooks::deliveries),
                admin("POST", "/webhooks/:id/deliveries/:delivery_id/retry", 202, webhooks::retry));
    }

    /** A row of the table: its handler gets the operator {@link #authorize} let in. */
    private static Endpoint admin(String method, String path, int status, Handler handler) {
        return new Endpoint(method, path, status, x -> handler.handle(x, x.admitted()));
    }

    /**
     * Mounts the routes under {@code prefix} (e.g. {@code /admin/accounts}) on a Spark service instance. The prefix
     * follows {@link AccountsRoutes}' rule: an empty one is allowed too, and then, as there, the admin routes' 404
     * answers whatever the host maps after them.
     */
    public void mount(Service http, String prefix) {
        RouteAdapter.Sink sink = RouteAdapter.Sink.of(http);
        RouteAdapter.checkPrefix(prefix);
        adapter.addAll(sink, prefix, all(), transport, this::authorize, /* headLikeGet */ false);
        // Registered last, so only what no route above matched; an operator's session is asked for first all the same.
        adapter.notFound(sink, List.of(prefix + "/*"), List.of("GET", "POST", "PUT", "PATCH", "DELETE"), transport,
                this::authorize);
    }

    /** Every route checks the session and the predicate first; the operator it returns goes to the handler. */
    private Authenticated authorize(Exchange x) {
        Request req = x.req;
        // With sessionsOf(routes): the same cookie sessions and CSRF rule as those routes; else bearer only.
        Authenticated who = transport != null ? transport.authenticate(req)
                : accounts.sessions().authenticate(Bearer.token(req));
        if (!operators.test(who)) {
            throw AccountsException.of(ErrorCode.FORBIDDEN, "This session may not use the admin routes.");
        }
        requireFitToOperate(who);
        return who;
    }

    /**
     * Whatever the host's predicate says, an operator's email must be verified ({@code email_not_verified}) and, where
     * the profile requires a second factor, TOTP must be on ({@code mfa_required}).
     */
    private void requireFitToOperate(Authenticated who) {
        if (!who.user().emailVerified()) {
            throw AccountsException.of(ErrorCode.EMAIL_NOT_VERIFIED,
                    "Verify your email address before using the admin routes.");
        }
        if (who.secondFactorMissing(secondFactor)) {
            throw AccountsException.of(ErrorCode.MFA_REQUIRED,
                    "Turn on a second factor before using the admin routes.");
        }
    }

    private Object users(Exchange x, Authenticated operator) {
        Long after = Endpoints.queryNumber(x, "after");
        return UserList.of(accounts.operators().users(x.req.queryParams("email_prefix"), after, Endpoints.pageLimit(x)));
    }

    private Object user(Exchange x, Authenticated operator) {
        return envelope(accounts.operators().user(id(x)));
    }

    private Object disable(Exchange x, Authenticated operator) {
        long id = id(x);
        String reason = null;
        if (JsonBody.present(x.req)) {
            JsonBody body = x.body();
            reason = body.text("reason");
            body.requireTypes(); // a reason is free text: nothing in core would refuse a wrong type
        }
        return envelope(accounts.operators().disableUser(operator, id, reason, x.client()));
    }

    private Object enable(Exchange x, Authenticated operator) {
        return envelope(accounts.operators().enableUser(operator, id(x), x.client()));
    }

    private Object signOut(Exchange x, Authenticated operator) {
        accounts.operators().signOutUser(operator, id(x), x.client());
        return null;
    }

    private Object clearThrottle(Exchange x, Authenticated operator) {
        accounts.operators().clearSignInThrottle(operator, id(x), x.client());
        return null;
    }

    private Object events(Exchange x, Authenticated operator) {
        long id = id(x);
        return EventList.of(accounts.operators().userEvents(id, Endpoints.queryNumber(x, "before"), Endpoints.pageLimit(x)));
    }

    private static ManagedUserEnvelope envelope(ManagedUser user) {
        return new ManagedUserEnvelope(ManagedUserBody.of(user));
    }

    private static long id(Exchange x) {
        return RouteAdapter.pathId(x, "There is no such user.");
    }

    /** Builds {@link AdminRoutes}; {@link #operators} is required. */
    public static final class Builder {
        private final Accounts accounts;
        private Predicate<Authenticated> operators;
        private ObjectMapper objectMapper = new ObjectMapper();
        private AccountsRoutes sessionsOf;

        private Builder(Accounts accounts) {
            this.accounts = Objects.requireNonNull(accounts, "null accounts");
        }

        /** Who is an operator, judged on each request's authenticated session. */
        public Builder operators(Predicate<Authenticated> value) {
            this.operators = Objects.requireNonNull(value, "null operators");
            return this;
        }

        /**
         * Accepts the cookie sessions of {@code routes} as well as bearer tokens, with the same CSRF key and rules
         * (an unsafe admin request by cookie needs {@code X-CSRF-Token}); without it, admin routes take bearer tokens
         * only and ignore the session cookie.
         */
        public Builder sessionsOf(AccountsRoutes routes) {
            this.sessionsOf = Objects.requireNonNull(routes, "null routes");
            return this;
        }

        /** The host's mapper, copied and then set to the contract's JSON conventions (snake_case, ISO instants). */
        public Builder objectMapper(ObjectMapper value) {
            this.objectMapper = Objects.requireNonNull(value, "null objectMapper");
            return this;
        }

        public AdminRoutes build() {
            return new AdminRoutes(this);
        }
    }
}
