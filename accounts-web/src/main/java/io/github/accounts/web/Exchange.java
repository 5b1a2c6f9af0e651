package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import spark.Request;
import spark.Response;

/** One request as a route handler sees it: its JSON body, its authenticated session, its client. */
final class Exchange {
    final Request req;
    final Response res;
    private final Accounts accounts;
    private final ObjectMapper json;
    private final ClientAddress clientAddress;

    Exchange(Request req, Response res, Accounts accounts, ObjectMapper json, ClientAddress clientAddress) {
        this.req = req;
        this.res = res;
        this.accounts = accounts;
        this.json = json;
        this.clientAddress = clientAddress;
    }

    /** The JSON object body; 415, 413 or 400 problems when it breaks the contract's rules. */
    JsonBody body() {
        return JsonBody.read(req, json);
    }

    /** The session of the bearer token; {@code unauthenticated} without a valid one. */
    Authenticated who() {
        return accounts.authenticate(Bearer.token(req));
    }

    /** The device asking: user agent and client address. */
    ClientInfo client() {
        return new ClientInfo(req.userAgent(), clientAddress.of(req));
    }
}
