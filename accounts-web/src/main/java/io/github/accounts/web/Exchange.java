package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.IssuedSession;
import io.github.accounts.web.dto.SessionBody;
import spark.Request;
import spark.Response;

/** One request as a route handler sees it: its JSON body, its authenticated session, its client. */
final class Exchange {
    final Request req;
    final Response res;
    final SessionTransport transport;
    private final ObjectMapper json;
    private final ClientAddress clientAddress;

    Exchange(Request req, Response res, SessionTransport transport, ObjectMapper json, ClientAddress clientAddress) {
        this.req = req;
        this.res = res;
        this.transport = transport;
        this.json = json;
        this.clientAddress = clientAddress;
    }

    /** The JSON object body; 415, 413 or 400 problems when it breaks the contract's rules. */
    JsonBody body() {
        return JsonBody.read(req, json);
    }

    /** The session of the bearer token or the session cookie; {@code unauthenticated} without a valid one. */
    Authenticated who() {
        return transport.authenticate(req);
    }

    /** A new or rotated session as the answer carries it (bearer: its tokens; cookie mode: cookies). */
    SessionBody issue(IssuedSession s) {
        return transport.issue(req, res, s);
    }

    /** The device asking: user agent and client address. */
    ClientInfo client() {
        return new ClientInfo(req.userAgent(), clientAddress.of(req));
    }
}
