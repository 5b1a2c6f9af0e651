package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import spark.Request;
import spark.Response;

/** One request as a route handler sees it: its JSON body, its authenticated session, its client. Not thread-safe. */
final class Exchange {
    final Request req;
    final Response res;
    private final Accounts accounts;
    private final ObjectMapper json;
    private final ClientAddress clientAddress;
    private JsonBody body;

    Exchange(Request req, Response res, Accounts accounts, ObjectMapper json, ClientAddress clientAddress) {
        this.req = req;
        this.res = res;
        this.accounts = accounts;
        this.json = json;
        this.clientAddress = clientAddress;
    }

    /** The JSON object body, read once; 415, 413, 408 or 400 problems when it breaks the contract's rules. */
    JsonBody body() {
        if (body == null) {
            body = JsonBody.read(req, json);
        }
        return body;
    }

    /** Core's refusal, merged with the type errors of the body read, if one was (see {@link JsonBody#merge}). */
    RuntimeException refusal(AccountsException fromCore) {
        return body == null ? fromCore : body.merge(fromCore);
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
