package io.github.accounts.core.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An OpenID Connect provider, found by discovery when it is built. Its ID tokens are validated by Nimbus against the
 * provider's JWKS (cached for 15 minutes, fetched again at most once per 30 s when a token names an unknown key) with
 * the asymmetric algorithms it announces only, so neither {@code alg: none} nor an HMAC keyed with a public key
 * passes; {@code iss}, {@code aud}, {@code azp}, {@code exp}, {@code iat} and {@code nonce} are checked too.
 * Thread-safe.
 */
final class OidcClient implements ProviderClient {
    private static final Duration JWKS_TTL = Duration.ofMinutes(15);
    /** How far the provider's clock may be behind ours when it says when the user logged in. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;
    private static final Set<JWSAlgorithm.Family> ASYMMETRIC = Set.of(JWSAlgorithm.Family.RSA,
            JWSAlgorithm.Family.EC, JWSAlgorithm.Family.ED);

    private final Provider provider;
    private final URI redirectUri;
    private final int timeoutMillis;
    private final OIDCProviderMetadata metadata;
    private final IDTokenValidator validator;

    /** Discovers the provider; {@link GeneralException} or {@link IOException} when that fails. */
    OidcClient(Provider provider, URI redirectUri, Duration timeout) throws GeneralException, IOException {
        this.provider = provider;
        this.redirectUri = redirectUri;
        this.timeoutMillis = (int) timeout.toMillis();
        this.metadata = OIDCProviderMetadata.resolve(new Issuer(provider.issuer()), timeoutMillis, timeoutMillis);
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                        new DefaultResourceRetriever(timeoutMillis, timeoutMillis, JWKS_SIZE_LIMIT))
                .cache(JWKS_TTL.toMillis(), timeoutMillis).build();
        this.validator = new IDTokenValidator(metadata.getIssuer(), new ClientID(provider.clientId()),
                new JWSVerificationKeySelector<>(algorithms(metadata), keys), null);
    }

    /** The asymmetric signing algorithms the provider announces; RS256 (the one every provider must support) else. */
    private static Set<JWSAlgorithm> algorithms(OIDCProviderMetadata metadata) {
        Set<JWSAlgorithm> algs = new LinkedHashSet<>();
        List<JWSAlgorithm> announced = metadata.getIDTokenJWSAlgs();
        if (announced != null) {
            announced.stream().filter(a -> ASYMMETRIC.stream().anyMatch(f -> f.contains(a))).forEach(algs::add);
        }
        if (algs.isEmpty()) {
            algs.add(JWSAlgorithm.RS256);
        }
        return algs;
    }

    @Override
    public URI authorizationUrl(String state, String nonce, String codeVerifier, boolean fresh) {
        AuthenticationRequest.Builder request = new AuthenticationRequest.Builder(ResponseType.CODE,
                new Scope(provider.scopes().toArray(String[]::new)), new ClientID(provider.clientId()), redirectUri)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State(state)).nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256);
        if (fresh) { // OpenID Connect Core 3.1.2.1: log the user in again, and say when in auth_time
            request.prompt(new Prompt(Prompt.Type.LOGIN)).maxAge(0);
        }
        return request.build().toURI();
    }

    @Override
    public String responseIssuer() {
        return metadata.getIssuer().getValue();
    }

    @Override
    public boolean requiresResponseIssuer() {
        return metadata.supportsAuthorizationResponseIssuerParam();
    }

    @Override
    public ProviderIdentity identity(String code, String codeVerifier, String nonce, Instant freshSince) {
        JWT idToken = exchange(code, codeVerifier);
        IDTokenClaimsSet claims;
        try {
            claims = validator.validate(idToken, new Nonce(nonce));
        } catch (BadJOSEException | JOSEException e) {
            throw ProviderFailure.of("the ID token of " + provider.id() + " did not validate: " + ProviderFailure.why(e));
        }
        if (freshSince != null) {
            // max_age=0 was asked: auth_time is then required, and must be no older than the flow (clocks may drift)
            Date authTime = claims.getAuthenticationTime();
            if (authTime == null || authTime.toInstant().isBefore(freshSince.minus(CLOCK_SKEW))) {
                throw ProviderFailure.of("the ID token of " + provider.id() + " shows no fresh login (auth_time "
                        + (authTime == null ? "missing" : authTime.toInstant()) + ")");
            }
        }
        return new ProviderIdentity(metadata.getIssuer().getValue(), claims.getSubject().getValue(),
                text(claims.getClaim("email")), Boolean.TRUE.equals(claims.getClaim("email_verified")),
                text(claims.getClaim("given_name")), text(claims.getClaim("family_name")), text(claims.getClaim("name")));
    }

    private JWT exchange(String code, String codeVerifier) {
        TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(), clientAuthentication(),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, new CodeVerifier(codeVerifier)));
        HTTPRequest http = request.toHTTPRequest();
        http.setConnectTimeout(timeoutMillis);
        http.setReadTimeout(timeoutMillis);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException e) {
            throw ProviderFailure.of("the token endpoint of " + provider.id() + " did not answer: " + ProviderFailure.why(e));
        } catch (ParseException e) {
            throw ProviderFailure.of("the token response of " + provider.id() + " was not one: " + ProviderFailure.why(e));
        }
        if (!response.indicatesSuccess()) {
            throw ProviderFailure.of("the token endpoint of " + provider.id() + " refused the code: "
                    + response.toErrorResponse().getErrorObject().getCode());
        }
        JWT idToken = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw ProviderFailure.of("the token response of " + provider.id() + " held no ID token");
        }
        return idToken;
    }

    /** HTTP Basic unless the provider announces only {@code client_secret_post}. */
    private ClientAuthentication clientAuthentication() {
        ClientID id = new ClientID(provider.clientId());
        Secret secret = new Secret(provider.clientSecret());
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        boolean postOnly = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        return postOnly ? new ClientSecretPost(id, secret) : new ClientSecretBasic(id, secret);
    }

    static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
