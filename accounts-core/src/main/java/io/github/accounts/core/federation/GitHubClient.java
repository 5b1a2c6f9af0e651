package io.github.accounts.core.federation;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * GitHub, an OAuth 2.0 provider without ID tokens: the code is exchanged (with PKCE) for an access token, which reads
 * the user ({@code GET /user}: its numeric id is the subject) and their addresses ({@code GET /user/emails}). Only
 * the primary address counts, and it is verified only when GitHub says {@code verified: true}. Thread-safe.
 */
final class GitHubClient implements ProviderClient {
    private final Provider provider;
    private final URI redirectUri;
    private final int timeoutMillis;
    private final String issuer;

    GitHubClient(Provider provider, URI redirectUri, Duration timeout) {
        this.provider = provider;
        this.redirectUri = redirectUri;
        this.timeoutMillis = (int) timeout.toMillis();
        URI authorize = provider.github().authorize();
        // github.com's identities are keyed by https://github.com; an Enterprise Server's by its own origin
        this.issuer = authorize.getScheme() + "://" + authorize.getRawAuthority();
    }

    @Override
    public URI authorizationUrl(String state, String nonce, String codeVerifier, boolean fresh) {
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(provider.clientId()))
                .endpointURI(provider.github().authorize()).redirectionURI(redirectUri)
                .scope(new Scope(provider.scopes().toArray(String[]::new))).state(new State(state))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (fresh) { // GitHub has no "log in again"; its account picker at least needs the user's click there
            request.customParameter("prompt", "select_account");
        }
        return request.build().toURI();
    }

    @Override
    public String responseIssuer() {
        return issuer;
    }

    @Override
    public boolean requiresResponseIssuer() {
        return false;
    }

    @Override
    public ProviderIdentity identity(String code, String codeVerifier, String nonce, Instant freshSince) {
        AccessToken token = exchange(code, codeVerifier);
        Map<String, Object> user = object(get(token, "/user"));
        Object id = user.get("id");
        if (!(id instanceof Number number)) {
            throw ProviderFailure.of("GitHub's /user of " + provider.id() + " held no numeric id");
        }
        Map<String, Object> primary = primaryEmail(get(token, "/user/emails"));
        String email = primary == null ? null : OidcClient.text(primary.get("email"));
        boolean verified = primary != null && Boolean.TRUE.equals(primary.get("verified"));
        String name = OidcClient.text(user.get("name"));
        return new ProviderIdentity(issuer, Long.toString(number.longValue()), email, verified, null, null,
                name != null ? name : OidcClient.text(user.get("login")));
    }

    private AccessToken exchange(String code, String codeVerifier) {
        HTTPRequest http = new TokenRequest(provider.github().token(),
                new ClientSecretPost(new ClientID(provider.clientId()), new Secret(provider.clientSecret())),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, new CodeVerifier(codeVerifier)))
                .toHTTPRequest();
        http.setAccept("application/json"); // GitHub answers form-encoded otherwise
        TokenResponse response;
        try {
            response = TokenResponse.parse(send(http));
        } catch (ParseException e) {
            throw ProviderFailure.of("GitHub's token response for " + provider.id() + " was not one: "
                    + ProviderFailure.why(e));
        }
        if (!response.indicatesSuccess()) {
            throw ProviderFailure.of("GitHub refused the code for " + provider.id() + ": "
                    + response.toErrorResponse().getErrorObject().getCode());
        }
        return ((AccessTokenResponse) response.toSuccessResponse()).getTokens().getAccessToken();
    }

    private String get(AccessToken token, String path) {
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.GET, URI.create(provider.github().api() + path));
        http.setAuthorization(token.toAuthorizationHeader());
        http.setAccept("application/vnd.github+json");
        HTTPResponse response = send(http);
        if (!response.indicatesSuccess()) {
            throw ProviderFailure.of("GitHub's " + path + " answered " + response.getStatusCode() + " for "
                    + provider.id());
        }
        return response.getBody();
    }

    private HTTPResponse send(HTTPRequest http) {
        http.setConnectTimeout(timeoutMillis);
        http.setReadTimeout(timeoutMillis);
        try {
            return http.send();
        } catch (IOException e) {
            throw ProviderFailure.of("GitHub did not answer for " + provider.id() + ": " + ProviderFailure.why(e));
        }
    }

    /** The primary address of {@code /user/emails}, or null when it names none. */
    private Map<String, Object> primaryEmail(String body) {
        List<Object> emails;
        try {
            emails = JSONArrayUtils.parse(body);
        } catch (java.text.ParseException e) {
            throw ProviderFailure.of("GitHub's /user/emails for " + provider.id() + " was not a JSON array");
        }
        for (Object e : emails) {
            if (e instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("primary"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> email = (Map<String, Object>) m;
                return email;
            }
        }
        return null;
    }

    private Map<String, Object> object(String body) {
        try {
            return JSONObjectUtils.parse(body);
        } catch (java.text.ParseException e) {
            throw ProviderFailure.of("GitHub's /user for " + provider.id() + " was not a JSON object");
        }
    }
}
