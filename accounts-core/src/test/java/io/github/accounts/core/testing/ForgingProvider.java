package io.github.accounts.core.testing;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.accounts.core.federation.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An OpenID Connect provider whose token endpoint answers with whatever ID token the test forges (unsigned, signed
 * with HMAC under the published public key...), on a real HTTP server with a real discovery document and JWKS (one
 * RSA key). The forger gets the nonce the authorization request carried, so every claim can be right but the
 * signature. Thread-safe.
 */
public final class ForgingProvider implements AutoCloseable {
    public static final String CLIENT_ID = "forged-client";

    private final HttpServer server;
    private final RSAKey key;
    private final Map<String, String> nonces = new ConcurrentHashMap<>();
    private volatile Function<String, String> forger = nonce -> "not-a-token";

    public ForgingProvider() throws IOException {
        try {
            key = new RSAKeyGenerator(2048).keyID("published").generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/openid-configuration", e -> answer(e, 200, discovery()));
        server.createContext("/jwks", e -> answer(e, 200, "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}"));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", e -> {
            Map<String, String> form = query(new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String nonce = nonces.remove(String.valueOf(form.get("code")));
            answer(e, 200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":60,\"id_token\":\""
                    + forger.apply(nonce) + "\"}");
        });
        server.start();
    }

    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The published (public) key, which an attacker has as well. */
    public RSAKey publishedKey() {
        return key.toPublicJWK();
    }

    /** The provider {@code forged} at this server. */
    public Provider provider() {
        return Provider.oidc("forged", "Forged", issuer(), CLIENT_ID, "forged-secret");
    }

    /** {@code claims} signed RS256 with the provider's own key: a genuine token of this provider. */
    public String sign(com.nimbusds.jwt.JWTClaimsSet claims) {
        try {
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(
                    com.nimbusds.jose.JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the token endpoint answers as the ID token, given the nonce of the authorization request. */
    public void forge(Function<String, String> value) {
        forger = value;
    }

    private String discovery() {
        String base = issuer().toString();
        return "{\"issuer\":\"" + base + "\",\"authorization_endpoint\":\"" + base + "/authorize\","
                + "\"token_endpoint\":\"" + base + "/token\",\"jwks_uri\":\"" + base + "/jwks\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    }

    private void authorize(HttpExchange e) throws IOException {
        Map<String, String> q = query(e.getRequestURI().getRawQuery());
        String code = "code-" + nonces.size() + "-" + System.nanoTime();
        nonces.put(code, q.get("nonce"));
        e.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        e.sendResponseHeaders(302, -1);
        e.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void answer(HttpExchange e, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", "application/json");
        e.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
