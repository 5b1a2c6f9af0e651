package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.federation.CallbackOutcome;
import io.github.accounts.core.federation.FederatedStart;
import io.github.accounts.core.federation.Federation;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.web.RouteAdapter.Answer;
import io.github.accounts.web.RouteAdapter.Body;
import io.github.accounts.web.RouteAdapter.Endpoint;
import io.github.accounts.web.dto.FederationBodies.AuthorizationUrl;
import io.github.accounts.web.dto.FederationBodies.IdentityList;
import io.github.accounts.web.dto.FederationBodies.ProviderList;
import io.github.accounts.web.dto.Responses.MfaEnvelope;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.accounts.web.RouteAdapter.pathId;

/**
 * Federated sign-in's rows of the route table and their handlers: the providers, a flow begun (the pre-auth cookie
 * set), the provider's callback (a 303 back to {@code return_to}, outcomes in its fragment, which never reaches a
 * server log), a link proved, and the user's identities.
 */
final class FederationEndpoints {
    private final Accounts accounts;
    private final Federation federation;

    FederationEndpoints(Accounts accounts) {
        this.accounts = accounts;
        this.federation = accounts.federation();
    }

    List<Endpoint> all() {
        return List.of(
                new Endpoint("GET", "/providers", 200, Body.NONE, this::providers),
                new Endpoint("POST", "/sessions/federated", 200, this::start),
                new Endpoint("GET", "/providers/:id/callback", 303, Body.NONE, this::callback),
                new Endpoint("POST", "/sessions/link", 201, this::completeLink),
                new Endpoint("POST", "/users/me/identities", 200, this::startLink),
                new Endpoint("GET", "/users/me/identities", 200, Body.NONE, this::identities),
                new Endpoint("DELETE", "/users/me/identities/:id", 204, Body.NONE, this::unlink));
    }

    private Object providers(Exchange x) {
        return ProviderList.of(federation.providers());
    }

    private Object start(Exchange x) {
        JsonBody body = x.body();
        String provider = body.text("provider");
        String returnTo = body.text("return_to");
        return begun(x, federation.start(provider, returnTo, x.client()));
    }

    /** An inline {@code password} is the recent proof linking needs, as on the passkey routes. */
    private Object startLink(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String provider = body.text("provider");
        String returnTo = body.text("return_to");
        String password = body.text("password");
        if (password != null) {
            accounts.reauthentication().withPassword(who, password);
        }
        return begun(x, federation.startLink(who, provider, returnTo, x.client()));
    }

    /**
     * {@code POST /sessions/reauthenticate {provider, return_to?}} (a row of the main table): a flow that proves this
     * session once the provider's callback comes back, in this browser, with one of the account's identities.
     */
    Object reauthenticate(Exchange x, Authenticated who, JsonBody body) {
        String provider = body.text("provider");
        String returnTo = body.text("return_to");
        return begun(x, federation.startReauthentication(who, provider, returnTo, x.client()));
    }

    private static Object begun(Exchange x, FederatedStart start) {
        x.transport.setFederationCookie(x.res, start.browserKey());
        return new AuthorizationUrl(start.authorizationUrl());
    }

    private Object callback(Exchange x) {
        String provider = x.req.params(":id");
        CallbackOutcome outcome = federation.finish(provider, parameters(x), x.transport.federationCookie(x.req),
                x.client());
        x.res.header("Location", location(x, outcome));
        return new Answer(303, null);
    }

    /** Where the browser goes: {@code return_to}, with the outcome in the fragment where there is one to tell. */
    private static String location(Exchange x, CallbackOutcome outcome) {
        String back = outcome.returnTo();
        int hash = back.indexOf('#');
        String page = hash < 0 ? back : back.substring(0, hash);
        if (outcome instanceof CallbackOutcome.SignedInWith s) {
            x.transport.clearFederationCookie(x.res);
            SignedIn in = s.signedIn();
            if (in.needsSecondFactor()) {
                return page + "#mfa_token=" + encode(in.mfaRequired().mfaToken()) + "&methods="
                        + encode(String.join(",", in.mfaRequired().methods()));
            }
            x.transport.issueCookies(x.res, in.session());
            return back;
        }
        if (outcome instanceof CallbackOutcome.LinkRequired l) { // the cookie stays: the link is bound to it
            return page + "#link_token=" + encode(l.linkToken()) + "&email=" + encode(l.email());
        }
        x.transport.clearFederationCookie(x.res);
        if (outcome instanceof CallbackOutcome.Failed f) {
            return page + "#accounts_error=" + f.error();
        }
        return back; // linked to the signed-in account, or its session re-authenticated: the session stays as it was
    }

    /** The callback's query, each name with all its values (core refuses repeated ones). */
    private static Map<String, List<String>> parameters(Exchange x) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        x.req.queryMap().toMap().forEach((name, values) -> out.put(name, Arrays.asList(values)));
        return out;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code {link_token, password}} or {@code {link_token, ceremony_id, credential}} (a passkey assertion). */
    private Object completeLink(Exchange x) {
        JsonBody body = x.body();
        String linkToken = body.text("link_token");
        String browserKey = x.transport.federationCookie(x.req);
        SignedIn signedIn;
        if (body.has("ceremony_id") || body.has("credential")) {
            String ceremonyId = body.text("ceremony_id");
            String credential = body.object("credential");
            signedIn = federation.completeLinkWithPasskey(linkToken, browserKey, ceremonyId, credential, x.client());
        } else {
            String password = body.text("password");
            signedIn = federation.completeLink(linkToken, browserKey, password, x.client());
        }
        x.transport.clearFederationCookie(x.res);
        return signedIn.needsSecondFactor() ? new Answer(202, MfaEnvelope.of(signedIn.mfaRequired()))
                : x.signedIn(signedIn);
    }

    private Object identities(Exchange x) {
        return IdentityList.of(federation.identities(x.who()));
    }

    private Object unlink(Exchange x) {
        Authenticated who = x.who();
        federation.unlink(who, pathId(x, "You have no such identity."), x.client());
        return null;
    }
}
