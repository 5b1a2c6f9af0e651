package io.github.accounts.core.testing;

import io.github.accounts.core.federation.FederationSettings;
import io.github.accounts.core.federation.Provider;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real providers for federation tests: mock-oauth2-server (a real OpenID Connect provider on its own HTTP server:
 * discovery, JWKS, signed ID tokens) serving two issuers, {@code oidc} and {@code second}, and a {@link FakeGitHub};
 * plus the browser's part, {@link #visit}: following an authorization URL to the callback the provider redirects to.
 * Close it after the tests.
 */
public final class TestProviders implements AutoCloseable {
    public static final String CLIENT_ID = "accounts-test-client";
    public static final String CLIENT_SECRET = "accounts-test-secret";
    /** Where the tests' accounts routes would be. */
    public static final URI CALLBACK_BASE = URI.create("https://accounts.test/accounts");

    public final MockOAuth2Server oidc = new MockOAuth2Server();
    public final FakeGitHub github;
    public final ForgingProvider forging;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public TestProviders() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        oidc.start(InetAddress.getLoopbackAddress(), port);
        warmUp();
        try {
            github = new FakeGitHub();
            forging = new ForgingProvider();
        } catch (IOException e) {
            oidc.shutdown();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The mock server's first answer takes seconds on a busy machine (its classes load then); it is asked once here,
     * with time to spare, so discovery within the settings' timeout tests the code rather than the machine.
     */
    private void warmUp() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(issuer("oidc") + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The issuer URL of the mock server's issuer {@code issuerId}. */
    public URI issuer(String issuerId) {
        return URI.create("http://127.0.0.1:" + port + "/" + issuerId);
    }

    /** The OpenID Connect provider {@code id} at the mock server's issuer of the same name. */
    public Provider oidcProvider(String id) {
        return Provider.oidc(id, "Provider " + id, issuer(id), CLIENT_ID, CLIENT_SECRET);
    }

    /**
     * Settings with {@code oidc}, {@code second} (sign-up closed), {@code auto} (links verified addresses
     * automatically), {@code github}, {@code deadhub} (a GitHub whose endpoints refuse connections) and
     * {@code forged} ({@link ForgingProvider}), and a 2 s timeout.
     */
    public FederationSettings settings() {
        URI dead = URI.create("http://127.0.0.1:" + deadPort());
        Provider deadhub = new Provider("deadhub", "Dead", null, new Provider.GitHubEndpoints(dead, dead, dead),
                "dead-client", "dead-secret", List.of("read:user"), true, false);
        return FederationSettings.of(CALLBACK_BASE, List.of(oidcProvider("oidc"),
                        oidcProvider("second").withSignUp(false), oidcProvider("auto").withAutomaticLinking(true),
                        github.provider(), deadhub, forging.provider()))
                .withTimeout(Duration.ofSeconds(2));
    }

    /** The next token of issuer {@code issuerId} is for {@code subject} with these claims (email, names...). */
    public void nextOidcUser(String issuerId, String subject, Map<String, Object> claims) {
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", null, claims, 3600));
    }

    /** As {@link #nextOidcUser} with another audience and lifetime (seconds, negative: already expired). */
    public void nextOidcToken(String issuerId, String subject, List<String> audience, Map<String, Object> claims,
                              long expirySeconds) {
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", audience, claims,
                expirySeconds));
    }

    /** The browser following {@code authorizationUrl}: the query of the callback the provider redirects to. */
    public Map<String, List<String>> visit(String authorizationUrl) {
        return redirectQuery(send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build()));
    }

    /**
     * The browser following {@code authorizationUrl} to a provider that shows its login form (as mock-oauth2-server
     * does when a fresh login is asked for: {@code prompt=login}), and the user logging in there as {@code subject}
     * with these claims: the query of the callback the provider then redirects to.
     */
    public Map<String, List<String>> visitLoggingIn(String authorizationUrl, String subject,
                                                    Map<String, Object> claims) {
        HttpResponse<String> form = send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build());
        if (form.statusCode() != 200 || !form.body().contains("name=\"username\"")) {
            throw new AssertionError("The provider showed no login form: " + form.statusCode());
        }
        String body = "username=" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "&claims="
                + URLEncoder.encode(json(claims), StandardCharsets.UTF_8);
        return redirectQuery(send(HttpRequest.newBuilder(URI.create(authorizationUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()));
    }

    /** The query of the URL the provider's answer redirects to. */
    private static Map<String, List<String>> redirectQuery(HttpResponse<String> r) {
        String location = r.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("The provider did not redirect: " + r.statusCode() + " "
                        + r.body()));
        return query(URI.create(location).getRawQuery());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Flat claims (strings, numbers, booleans) as a JSON object. */
    private static String json(Map<String, Object> claims) {
        StringBuilder out = new StringBuilder("{");
        claims.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append('"').append(k).append("\":")
                .append(v instanceof String s ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""
                        : String.valueOf(v)));
        return out.append('}').toString();
    }

    /** A URL's query as the callback's parameters. */
    public static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        return out;
    }

    private static int deadPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again at once: connections to it are refused
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        github.close();
        forging.close();
        oidc.shutdown();
    }
}
