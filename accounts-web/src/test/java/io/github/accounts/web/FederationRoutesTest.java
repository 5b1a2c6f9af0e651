package io.github.accounts.web;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestProviders;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.HttpSuite.PREFIX;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.HttpSuite.email;
import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Federated sign-in over a real socket, against a real OpenID Connect provider (mock-oauth2-server): the pre-auth
 * cookie, the callback's 303 with the outcome in its fragment, the session cookies it sets, linking with proof,
 * and the identity routes. On H2 and PostgreSQL.
 */
@OnEachDatabase
class FederationRoutesTest extends HttpSuiteTest {
    private static final AtomicLong SUBJECTS = new AtomicLong(5000);
    private static final String PREAUTH = "__Host-accounts_federation";

    TestProviders providers;

    @BeforeAll
    void startProviders() {
        providers = new TestProviders();
    }

    @AfterAll
    void stopProviders() {
        providers.close();
    }

    @Override
    HttpSuite startSuite(TestDatabase database) {
        AccountsConfig config = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)
                .withThrottling(AccountsConfig.originalDesign().throttling()
                        .withSignUps(new ThrottleLimits.Rate(10_000, Duration.ofMinutes(1))));
        return HttpSuite.start(new TestAccounts(database, config, b -> b.federation(providers.settings())),
                options -> options);
    }

    /** A browser: the cookies it holds, by name. */
    private static final class Browser {
        final Map<String, String> cookies = new java.util.LinkedHashMap<>();

        void keep(Reply r) {
            r.raw().headers().allValues("Set-Cookie").forEach(c -> {
                String pair = c.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (c.contains("Max-Age=0")) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            });
        }

        String[] cookieHeader(String... more) {
            String cookie = cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "));
            List<String> headers = new java.util.ArrayList<>(List.of(more));
            if (!cookie.isEmpty()) {
                headers.add("Cookie");
                headers.add(cookie);
            }
            return headers.toArray(String[]::new);
        }
    }

    private static Map<String, Object> verified(String email) {
        return Map.of("email", email, "email_verified", true, "name", "Grace Brewster Hopper");
    }

    /** The page's POST that begins the flow; the authorization URL. */
    private String begin(Browser browser, String path, Object body, String token) {
        Reply r = suite.send("POST", PREFIX + path, body, token, browser.cookieHeader());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        browser.keep(r);
        return r.json().get("authorization_url").asText();
    }

    /** The browser comes back from the provider to the callback; the 303. */
    private Reply callback(Browser browser, String provider, String authorizationUrl) {
        return backAtTheCallback(browser, provider, providers.visit(authorizationUrl));
    }

    /** The browser arrives at {@code provider}'s callback with the query the provider redirected with; the 303. */
    private Reply backAtTheCallback(Browser browser, String provider, Map<String, List<String>> query) {
        String q = query.entrySet().stream().flatMap(e -> e.getValue().stream().map(v -> e.getKey() + "="
                + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8))).collect(Collectors.joining("&"));
        Reply r = suite.send("GET", PREFIX + "/providers/" + provider + "/callback?" + q, null, null,
                browser.cookieHeader());
        browser.keep(r);
        return r;
    }

    private static Map<String, String> fragment(Reply r) {
        String location = r.header("Location");
        String fragment = location.substring(location.indexOf('#') + 1);
        return java.util.Arrays.stream(fragment.split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void providersAreListedWithoutASession() {
        Reply r = suite.get(PREFIX + "/providers", null);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("providers").get(0).get("id").asText()).isEqualTo("oidc");
        assertThat(r.json().get("providers").get(0).get("name").asText()).isEqualTo("Provider oidc");
    }

    @Test
    void aNewUserSignsInThroughTheProviderWithCookiesAndHasNoPassword() {
        Browser browser = new Browser();
        String address = email("web.fed.new");
        providers.nextOidcUser("oidc", "w" + SUBJECTS.incrementAndGet(), verified(address));

        String url = begin(browser, "/sessions/federated", json("provider", "oidc", "return_to", "/welcome"), null);
        assertThat(URI.create(url).getRawQuery()).contains("state=", "nonce=", "code_challenge=",
                "code_challenge_method=S256");
        assertThat(browser.cookies).containsKey(PREAUTH);
        Reply back = callback(browser, "oidc", url);

        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("/welcome");
        assertThat(browser.cookies).containsKey("__Host-accounts_session").doesNotContainKey(PREAUTH);
        Reply me = suite.send("GET", PREFIX + "/users/me", null, null, browser.cookieHeader());
        assertThat(me.json().at("/user/email").asText()).isEqualTo(address);
        assertThat(me.json().at("/user/has_password").asBoolean()).isFalse();
        assertThat(me.json().at("/user/fname").asText()).isEqualTo("Grace");
        assertThat(me.json().at("/user/lname").asText()).isEqualTo("Brewster Hopper");
    }

    @Test
    void thePreAuthCookieIsHostOnlySecureHttpOnlyLaxForTenMinutes() {
        Reply r = suite.send("POST", PREFIX + "/sessions/federated", json("provider", "oidc"), null);

        assertThat(r.raw().headers().allValues("Set-Cookie")).singleElement().satisfies(c -> assertThat(c)
                .startsWith(PREAUTH + "=").contains("; Path=/", "; Max-Age=600", "; Secure", "; HttpOnly",
                        "; SameSite=Lax"));
    }

    @Test
    void aCallbackWithoutThePreAuthCookieGoesBackWithInvalidState() {
        Browser browser = new Browser();
        String url = begin(browser, "/sessions/federated", json("provider", "oidc", "return_to", "/here"), null);

        Reply back = callback(new Browser(), "oidc", url);

        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("/#accounts_error=invalid_state");
        assertThat(back.raw().headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-accounts_session"));
    }

    @Test
    void theUserCancellingAtTheProviderGoesBackWithAccessDenied() {
        Browser browser = new Browser();
        String url = begin(browser, "/sessions/federated", json("provider", "oidc", "return_to", "/here"), null);
        String state = URLDecoder.decode(URI.create(url).getRawQuery().replaceAll(".*state=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);

        Reply back = suite.send("GET", PREFIX + "/providers/oidc/callback?error=access_denied&state=" + state, null,
                null, browser.cookieHeader());

        assertThat(back.header("Location")).isEqualTo("/here#accounts_error=access_denied");
    }

    @Test
    void anUnknownProvidersCallbackIs404AndAForeignReturnToIs400() {
        assertProblem(suite.get(PREFIX + "/providers/nope/callback?code=x&state=y", null), 404, "unknown_provider");
        assertProblem(suite.post(PREFIX + "/sessions/federated", json("provider", "nope")), 404, "unknown_provider");
        assertProblem(suite.post(PREFIX + "/sessions/federated", json("provider", "oidc", "return_to",
                "//evil.example")), 400, "invalid_return_to");
    }

    @Test
    void aVerifiedAccountIsLinkedAfterItsPasswordInTheSameBrowser() {
        String address = email("web.fed.link");
        suite.verifyEmail(suite.fixture, PREFIX, address, suite.signUpToken(address));
        Browser browser = new Browser();
        providers.nextOidcUser("oidc", "w" + SUBJECTS.incrementAndGet(), verified(address));
        String url = begin(browser, "/sessions/federated", json("provider", "oidc", "return_to", "/welcome"), null);

        Reply back = callback(browser, "oidc", url);

        assertThat(back.header("Location")).startsWith("/welcome#link_token=");
        Map<String, String> fragment = fragment(back);
        assertThat(fragment.get("email")).isEqualTo(address);
        String linkToken = fragment.get("link_token");
        assertProblem(suite.send("POST", PREFIX + "/sessions/link", json("link_token", linkToken, "password",
                PASSWORD), null), 401, "invalid_link_token");
        assertProblem(suite.send("POST", PREFIX + "/sessions/link", json("link_token", linkToken, "password",
                "not the password at all"), null, browser.cookieHeader()), 403, "wrong_password");
        Reply linked = suite.send("POST", PREFIX + "/sessions/link", json("link_token", linkToken, "password",
                PASSWORD), null, browser.cookieHeader("X-Session-Transport", "cookie"));
        assertThat(linked.status()).as(linked.body()).isEqualTo(201);
        assertThat(linked.json().at("/session/csrf_token").asText()).isNotEmpty();
        browser.keep(linked);
        Reply identities = suite.send("GET", PREFIX + "/users/me/identities", null, null, browser.cookieHeader());
        assertThat(identities.json().get("identities").get(0).get("provider").asText()).isEqualTo("oidc");
        assertThat(identities.json().get("identities").get(0).has("last_used_at")).isTrue();
    }

    @Test
    void aSignedInUserLinksAProviderWithAnInlinePasswordAndUnlinksIt() {
        String address = email("web.fed.mine");
        String token = suite.signUpToken(address);
        suite.verifyEmail(suite.fixture, PREFIX, address, token);
        Browser browser = new Browser();
        providers.nextOidcUser("oidc", "w" + SUBJECTS.incrementAndGet(), verified(email("web.fed.other")));
        assertProblem(suite.send("POST", PREFIX + "/users/me/identities", json("provider", "oidc"), token), 403,
                "reauthentication_required");

        String url = begin(browser, "/users/me/identities", json("provider", "oidc", "return_to", "/settings",
                "password", PASSWORD), token);
        Reply back = callback(browser, "oidc", url);

        assertThat(back.header("Location")).isEqualTo("/settings");
        Reply list = suite.get(PREFIX + "/users/me/identities", token);
        long id = list.json().get("identities").get(0).get("id").asLong();
        String stranger = suite.signUpToken(email("web.fed.stranger"));
        assertProblem(suite.send("DELETE", PREFIX + "/users/me/identities/" + id, null, stranger), 404, "not_found");
        assertThat(suite.send("DELETE", PREFIX + "/users/me/identities/" + id, null, token).status()).isEqualTo(204);
        assertThat(suite.get(PREFIX + "/users/me/identities", token).json().get("identities")).isEmpty();
    }

    @Test
    void theLastWayInOfAProviderMadeAccountCannotBeUnlinked() {
        Browser browser = new Browser();
        providers.nextOidcUser("oidc", "w" + SUBJECTS.incrementAndGet(), verified(email("web.fed.last")));
        callback(browser, "oidc", begin(browser, "/sessions/federated", json("provider", "oidc"), null));
        Reply list = suite.send("GET", PREFIX + "/users/me/identities", null, null, browser.cookieHeader());
        long id = list.json().get("identities").get(0).get("id").asLong();
        String csrf = suite.send("GET", PREFIX + "/sessions/csrf", null, null, browser.cookieHeader()).json()
                .get("csrf_token").asText();

        Reply r = suite.send("DELETE", PREFIX + "/users/me/identities/" + id, null, null,
                browser.cookieHeader("X-CSRF-Token", csrf));

        assertProblem(r, 409, "last_sign_in_method");
    }

    /** The browser comes back from a provider that asked for a fresh login (its form filled in as {@code subject}). */
    private Reply callbackLoggingIn(Browser browser, String provider, String authorizationUrl, String subject) {
        Map<String, Object> claims = Map.of("auth_time", java.time.Instant.now().getEpochSecond());
        providers.nextOidcUser(provider, subject, claims);
        return backAtTheCallback(browser, provider, providers.visitLoggingIn(authorizationUrl, subject, claims));
    }

    @Test
    void aProviderMadeAccountReauthenticatesThroughTheProviderInCookieMode() {
        Browser browser = new Browser();
        String subject = "w" + SUBJECTS.incrementAndGet();
        providers.nextOidcUser("oidc", subject, verified(email("web.fed.reauth")));
        callback(browser, "oidc", begin(browser, "/sessions/federated", json("provider", "oidc"), null));
        String csrf = suite.send("GET", PREFIX + "/sessions/csrf", null, null, browser.cookieHeader()).json()
                .get("csrf_token").asText();
        assertProblem(suite.send("POST", PREFIX + "/users/me/identities", json("provider", "github"), null,
                browser.cookieHeader("X-CSRF-Token", csrf)), 403, "reauthentication_required");

        Reply started = suite.send("POST", PREFIX + "/sessions/reauthenticate", json("provider", "oidc",
                "return_to", "/settings"), null, browser.cookieHeader("X-CSRF-Token", csrf));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        browser.keep(started);
        assertThat(browser.cookies).containsKey(PREAUTH);
        String url = started.json().get("authorization_url").asText();
        assertThat(URI.create(url).getRawQuery()).contains("prompt=login", "max_age=0");
        Reply back = callbackLoggingIn(browser, "oidc", url, subject);

        assertThat(back.status()).isEqualTo(303);
        assertThat(back.header("Location")).isEqualTo("/settings");
        assertThat(browser.cookies).doesNotContainKey(PREAUTH).containsKey("__Host-accounts_session");
        Reply link = suite.send("POST", PREFIX + "/users/me/identities", json("provider", "github"), null,
                browser.cookieHeader("X-CSRF-Token", csrf));
        assertThat(link.status()).as(link.body()).isEqualTo(200);
    }

    @Test
    void reauthenticatingThroughAProviderWithoutAnIdentityThereIs404AndNeedsASession() {
        String token = suite.signUpToken(email("web.fed.reauth.none"));

        assertProblem(suite.send("POST", PREFIX + "/sessions/reauthenticate", json("provider", "oidc"), token), 404,
                "not_found");
        assertProblem(suite.send("POST", PREFIX + "/sessions/reauthenticate", json("provider", "nope"), token), 404,
                "unknown_provider");
        assertThat(suite.send("POST", PREFIX + "/sessions/reauthenticate", json("provider", "oidc"), null).status())
                .isEqualTo(401);
    }

    @Test
    void aProviderMadeAccountIsDeletedWithoutAPasswordRightAfterSigningIn() {
        Browser browser = new Browser();
        providers.nextOidcUser("oidc", "w" + SUBJECTS.incrementAndGet(), verified(email("web.fed.delete")));
        callback(browser, "oidc", begin(browser, "/sessions/federated", json("provider", "oidc"), null));
        String csrf = suite.send("GET", PREFIX + "/sessions/csrf", null, null, browser.cookieHeader()).json()
                .get("csrf_token").asText();

        Reply r = suite.send("DELETE", PREFIX + "/users/me", json(), null, browser.cookieHeader("X-CSRF-Token", csrf));

        assertThat(r.status()).as(r.body()).isEqualTo(204);
        assertThat(suite.send("GET", PREFIX + "/users/me", null, null, browser.cookieHeader()).status())
                .isEqualTo(401);
    }
}
