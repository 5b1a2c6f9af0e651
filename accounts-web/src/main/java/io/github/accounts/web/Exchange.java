package io.github.accounts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.web.dto.Responses.SignedInBody;
import io.github.accounts.web.dto.SessionBody;
import io.github.accounts.web.dto.UserBody;
import spark.Request;
import spark.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One request as a route handler sees it: its JSON body, its authenticated session, its client. Not thread-safe. */
final class Exchange {
    /** The longest {@code Accept-Language} read; a browser's is a few dozen chars. */
    static final int MAX_ACCEPT_LANGUAGE = 256;

    final Request req;
    final Response res;
    final SessionTransport transport;
    private final ObjectMapper json;
    private final ClientAddress clientAddress;
    private JsonBody body;
    private Authenticated admitted;

    Exchange(Request req, Response res, SessionTransport transport, ObjectMapper json, ClientAddress clientAddress) {
        this.req = req;
        this.res = res;
        this.transport = transport;
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

    /** Who the route's {@link RouteAdapter.Gate} let in (the operator, on the admin routes); null where it checks nobody. */
    Authenticated admitted() {
        return admitted;
    }

    void admit(Authenticated who) {
        this.admitted = who;
    }

    /** The session of the bearer token or the session cookie; {@code unauthenticated} without a valid one. */
    Authenticated who() {
        return transport.authenticate(req);
    }

    /** The answer to a sign-up or sign-in: the user, and the session as this request's transport carries it. */
    SignedInBody signedIn(SignedIn s) {
        return new SignedInBody(UserBody.of(s.user()), issue(s.session()));
    }

    /** A new or rotated session as the answer carries it (bearer: its tokens; cookie mode: cookies). */
    SessionBody issue(IssuedSession s) {
        return transport.issue(req, res, s);
    }

    /** JSON that core made (passkey options), as a tree to answer with as it is. */
    JsonNode parse(String trustedJson) {
        try {
            return json.readTree(trustedJson);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Core gave JSON that does not parse", e);
        }
    }

    /** The device asking: user agent, client address and the languages its {@code Accept-Language} prefers. */
    ClientInfo client() {
        return new ClientInfo(req.userAgent(), clientAddress.of(req), languages(req.headers("Accept-Language")));
    }

    /**
     * The languages of an {@code Accept-Language} header, best first, without {@code *} or those weighted 0; none
     * for a missing, malformed or overlong (over {@value #MAX_ACCEPT_LANGUAGE} chars) header.
     */
    static List<Locale> languages(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_ACCEPT_LANGUAGE) {
            return List.of();
        }
        try {
            List<Locale> out = new ArrayList<>();
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                if (range.getWeight() > 0 && !range.getRange().contains("*") && out.size() < ClientInfo.MAX_LANGUAGES) {
                    out.add(Locale.forLanguageTag(range.getRange()));
                }
            }
            return out;
        } catch (IllegalArgumentException malformed) {
            return List.of();
        }
    }
}
