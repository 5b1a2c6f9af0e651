package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cookie transport and its CSRF defences over a real socket, beside the unchanged bearer mode; run on H2 and PostgreSQL. */
@OnEachDatabase
class CookieTransportTest extends HttpSuiteTest {
    private static final String SESSION = "__Host-accounts_session";
    private static final String REFRESH = "__Secure-accounts_refresh";
    private static final String FOREIGN = "http://127.0.0.1:1";

    @Override
    HttpSuite startSuite(TestDatabase database) {
        return HttpSuite.start(database, options -> options.csrfKey(new byte[32]), (http, routes, fixture) -> {
            routes.mount(http, "/accounts");
            http.before("/api/*", routes.guard());
            http.get("/api/greeting", (req, res) -> "Hello, " + AccountsRoutes.current(req).user().fname());
            http.post("/api/notes", (req, res) -> "noted for " + AccountsRoutes.current(req).user().fname());
        });
    }

    /** A browser's cookie jar for one user, and the CSRF token its page keeps. */
    private final class Browser {
        final Map<String, String> cookies = new HashMap<>();
        final List<String> lastSetCookies = new ArrayList<>();
        String email;
        String csrf;
        JsonNode session;

        Reply send(String method, String path, String body, String... headers) {
            List<String> all = new ArrayList<>(List.of(headers));
            StringBuilder cookie = new StringBuilder();
            cookies.forEach((name, value) -> {
                if (!name.equals(REFRESH) || path.startsWith("/accounts/sessions/refresh")) {
                    cookie.append(cookie.length() == 0 ? "" : "; ").append(name).append('=').append(value);
                }
            });
            if (cookie.length() > 0) {
                all.addAll(List.of("Cookie", cookie.toString()));
            }
            Reply r = suite.send(method, path, body, null, all.toArray(String[]::new));
            lastSetCookies.clear();
            lastSetCookies.addAll(r.raw().headers().allValues("Set-Cookie"));
            for (String set : lastSetCookies) {
                String[] pair = set.split(";", 2)[0].split("=", 2);
                if (set.contains("Max-Age=0")) {
                    cookies.remove(pair[0]);
                } else {
                    cookies.put(pair[0], pair[1]);
                }
            }
            return r;
        }

        /** An unsafe request as the demo page sends it: with the CSRF token and its own origin. */
        Reply sendWithToken(String method, String path, String body) {
            return send(method, path, body, "X-CSRF-Token", csrf, "Origin", suite.base);
        }

        String setCookie(String name) {
            return lastSetCookies.stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
        }
    }

    private Browser signUp() {
        Browser b = new Browser();
        b.email = HttpSuite.email("cookie");
        Reply r = b.send("POST", "/accounts/users", json("email", b.email, "fname", "Ada", "lname", "Lovelace",
                "password", PASSWORD), "X-Session-Transport", "cookie");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        b.session = r.json().get("session");
        b.csrf = b.session.get("csrf_token").asText();
        return b;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private long secondsUntil(JsonNode instant) {
        return Duration.between(suite.fixture.clock.instant(), Instant.parse(instant.asText())).toSeconds();
    }

    @Test
    void cookieModeSetsBothCookiesWithTheContractsAttributesAndTheBodyCarriesNoToken() {
        for (String path : List.of("/accounts/users", "/accounts/sessions")) {
            Browser b = path.endsWith("users") ? signUp() : new Browser();
            if (path.endsWith("sessions")) {
                b.email = signUp().email;
                Reply r = b.send("POST", path, json("email", b.email, "password", PASSWORD), "X-Session-Transport",
                        "cookie");
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                b.session = r.json().get("session");
                assertThat(fieldNames(r.json())).containsExactlyInAnyOrder("user", "session");
            }
            assertThat(fieldNames(b.session)).containsExactlyInAnyOrder("id", "expires_at", "refresh_expires_at",
                    "csrf_token");
            assertThat(b.session.get("csrf_token").asText()).matches("[A-Za-z0-9_-]{43}");
            assertThat(b.setCookie(SESSION)).isEqualTo(SESSION + "=" + b.cookies.get(SESSION) + "; Path=/; Max-Age="
                    + secondsUntil(b.session.get("expires_at")) + "; Secure; HttpOnly; SameSite=Lax");
            assertThat(b.setCookie(REFRESH)).isEqualTo(REFRESH + "=" + b.cookies.get(REFRESH)
                    + "; Path=/accounts/sessions/refresh; Max-Age=" + secondsUntil(b.session.get("refresh_expires_at"))
                    + "; Secure; HttpOnly; SameSite=Strict");
            assertThat(b.cookies.get(SESSION)).matches("[A-Za-z0-9_-]{43,}").isNotEqualTo(b.cookies.get(REFRESH));
            assertThat(secondsUntil(b.session.get("expires_at"))).isEqualTo(Duration.ofDays(7).toSeconds());
        }
    }

    @Test
    void theSessionCookieAuthenticatesEveryRouteAndTheGuardWithoutAnAuthorizationHeader() {
        Browser b = signUp();
        assertThat(b.send("GET", "/accounts/users/me", null).json().get("user").get("email").asText()).isEqualTo(b.email);
        assertThat(b.send("GET", "/accounts/sessions", null).json().get("sessions")).hasSize(1);
        assertThat(b.send("GET", "/api/greeting", null).body()).isEqualTo("Hello, Ada");
        // reads need no CSRF token: a foreign page cannot read the answer (CORS never allows credentials)
        assertThat(b.send("GET", "/accounts/users/me", null, "Origin", FOREIGN).status()).isEqualTo(200);
        Reply csrf = b.send("GET", "/accounts/sessions/csrf", null);
        assertThat(csrf.status()).isEqualTo(200);
        assertThat(fieldNames(csrf.json())).containsExactly("csrf_token");
        assertThat(csrf.json().get("csrf_token").asText()).isEqualTo(b.csrf);
        assertProblem(suite.send("GET", "/accounts/sessions/csrf", null, null), 401, "unauthenticated");
        assertProblem(suite.send("GET", "/api/greeting", null, null, "Cookie", SESSION + "=not-a-session"), 401,
                "unauthenticated");
    }

    /** An unsafe route to try; {@code path} may hold {@code {other}}, the id of a second session of the user. */
    private record Unsafe(String method, String path, String body, int success) {
    }

    @Test
    void everyUnsafeCookieRequestNeedsTheCsrfTokenAndNoForeignOriginAndThenNothingChanges() {
        List<Unsafe> routes = List.of(
                new Unsafe("DELETE", "/accounts/sessions/current", null, 204),
                new Unsafe("DELETE", "/accounts/sessions/{other}", null, 204),
                new Unsafe("DELETE", "/accounts/sessions", null, 204),
                new Unsafe("PATCH", "/accounts/users/me", json("fname", "Mallory"), 200),
                new Unsafe("PUT", "/accounts/users/me/password", json("current_password", PASSWORD,
                        "new_password", "another long passphrase here"), 204),
                new Unsafe("DELETE", "/accounts/users/me", json("password", PASSWORD), 204),
                new Unsafe("POST", "/accounts/email-verifications", null, 202),
                new Unsafe("POST", "/api/notes", null, 200));
        for (Unsafe route : routes) {
            Browser b = signUp();
            String other = suite.fixture.accounts.signIns().signIn(b.email, PASSWORD, ClientInfo.unknown())
                    .session().sessionToken();
            long otherId = suite.fixture.accounts.sessions().authenticate(other).sessionId();
            String path = route.path().replace("{other}", Long.toString(otherId));
            String[][] refusals = {
                    {},
                    {"X-CSRF-Token", "wrong" + b.csrf.substring(5)},
                    {"X-CSRF-Token", signUp().csrf},
                    {"X-CSRF-Token", b.csrf, "Origin", FOREIGN},
                    {"X-CSRF-Token", b.csrf, "Origin", "null"}};
            for (String[] headers : refusals) {
                Reply refused = b.send(route.method(), path, route.body(), headers);
                assertProblem(refused, 403, "csrf_failed");
                assertThat(refused.raw().headers().allValues("Set-Cookie")).as(route.path()).isEmpty();
            }
            JsonNode user = b.send("GET", "/accounts/users/me", null).json().get("user");
            assertThat(user.get("fname").asText()).as(route.path()).isEqualTo("Ada");
            assertThat(b.send("GET", "/accounts/sessions", null).json().get("sessions")).as(route.path()).hasSize(2);
            assertThat(suite.fixture.accounts.sessions().authenticate(other).sessionId()).isEqualTo(otherId);
            assertThat(suite.fixture.accounts.signIns().signIn(b.email, PASSWORD, ClientInfo.unknown()))
                    .as(route.path() + ": the password is unchanged").isNotNull();
            // A security notice (the sign-in above is from a new device) is not the refused request's doing.
            assertThat(suite.fixture.mails.stream().filter(m -> m.to().equals(b.email) && !m.isNotice()))
                    .as(route.path()).isEmpty();

            Reply allowed = b.sendWithToken(route.method(), path, route.body());
            assertThat(allowed.status()).as(route.method() + " " + route.path() + ": " + allowed.body())
                    .isEqualTo(route.success());
        }
    }

    @Test
    void aGetThatSparkRoutesAsADeleteByMethodOverrideStillNeedsTheCsrfToken() {
        Browser b = signUp();
        Reply r = b.send("GET", "/accounts/sessions", null, "X-HTTP-Method-Override", "DELETE");
        assertProblem(r, 403, "csrf_failed");
        assertThat(b.send("GET", "/accounts/users/me", null).status()).isEqualTo(200);
    }

    @Test
    void anUnsafeCookieRequestWithoutAnOriginHeaderNeedsOnlyTheToken() {
        Browser b = signUp();
        Reply r = b.send("PATCH", "/accounts/users/me", json("fname", "Grace"), "X-CSRF-Token", b.csrf);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("user").get("fname").asText()).isEqualTo("Grace");
    }

    @Test
    void refreshByCookieRotatesBothCookiesWithoutACsrfTokenButNotFromAForeignOrigin() {
        Browser b = signUp();
        String oldSession = b.cookies.get(SESSION);
        String oldRefresh = b.cookies.get(REFRESH);
        assertProblem(b.send("POST", "/accounts/sessions/refresh", "{}", "X-Session-Transport", "cookie", "Origin",
                FOREIGN), 403, "csrf_failed");
        assertThat(b.cookies.get(REFRESH)).isEqualTo(oldRefresh);

        Reply r = b.send("POST", "/accounts/sessions/refresh", "{}", "X-Session-Transport", "cookie", "Origin",
                suite.base);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(fieldNames(r.json())).containsExactly("session");
        assertThat(fieldNames(r.json().get("session"))).containsExactlyInAnyOrder("id", "expires_at",
                "refresh_expires_at", "csrf_token");
        assertThat(r.json().get("session").get("csrf_token").asText()).isEqualTo(b.csrf); // bound to the session
        assertThat(b.setCookie(SESSION)).contains("; Path=/; ").endsWith("; Secure; HttpOnly; SameSite=Lax");
        assertThat(b.setCookie(REFRESH)).contains("; Path=/accounts/sessions/refresh; ")
                .endsWith("; Secure; HttpOnly; SameSite=Strict");
        assertThat(b.cookies.get(SESSION)).isNotEqualTo(oldSession);
        assertThat(b.cookies.get(REFRESH)).isNotEqualTo(oldRefresh);
        assertThat(b.send("GET", "/accounts/users/me", null).status()).isEqualTo(200);
        assertProblem(suite.send("GET", "/accounts/users/me", null, null, "Cookie", SESSION + "=" + oldSession), 401,
                "unauthenticated");

        assertProblem(suite.send("POST", "/accounts/sessions/refresh", "{}", null, "X-Session-Transport", "cookie"),
                401, "invalid_update_token");
    }

    @Test
    void signOutAndSignOutEverywhereClearBothCookies() {
        for (String path : List.of("/accounts/sessions/current", "/accounts/sessions")) {
            Browser b = signUp();
            assertThat(b.sendWithToken("DELETE", path, null).status()).isEqualTo(204);
            assertThat(b.lastSetCookies).containsExactlyInAnyOrder(
                    SESSION + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
                    REFRESH + "=; Path=/accounts/sessions/refresh; Max-Age=0; Secure; HttpOnly; SameSite=Strict");
            assertThat(b.cookies).isEmpty();
        }
    }

    @Test
    void bearerModeIsUnchangedAndNeverNeedsACsrfToken() {
        Reply signUp = suite.send("POST", "/accounts/users", json("email", HttpSuite.email("bearer"),
                "fname", "Bo", "lname", "Bearer", "password", PASSWORD), null);
        assertThat(signUp.status()).isEqualTo(201);
        assertThat(signUp.raw().headers().allValues("Set-Cookie")).isEmpty();
        JsonNode session = signUp.json().get("session");
        assertThat(fieldNames(session)).containsExactlyInAnyOrder("id", "session_token", "update_token", "expires_at",
                "refresh_expires_at");
        String token = session.get("session_token").asText();
        Reply patch = suite.send("PATCH", "/accounts/users/me", json("fname", "Bob"), token, "Origin", FOREIGN);
        assertThat(patch.status()).as(patch.body()).isEqualTo(200);
        assertThat(suite.send("POST", "/api/notes", null, token, "Origin", FOREIGN).body()).isEqualTo("noted for Bob");
        Reply refresh = suite.send("POST", "/accounts/sessions/refresh",
                json("update_token", session.get("update_token").asText()), null, "Origin", FOREIGN);
        assertThat(refresh.status()).isEqualTo(200);
        assertThat(refresh.json().get("session").has("session_token")).isTrue();
        Reply signOut = suite.send("DELETE", "/accounts/sessions/current", null,
                refresh.json().get("session").get("session_token").asText());
        assertThat(signOut.status()).isEqualTo(204);
        assertThat(signOut.raw().headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void anAuthorizationHeaderWinsOverTheCookieAndNeedsNoCsrfToken() {
        Browser b = signUp();
        Reply bearer = suite.send("POST", "/accounts/users", json("email", HttpSuite.email("both"),
                "fname", "Bea", "lname", "Both", "password", PASSWORD), null);
        String token = bearer.json().get("session").get("session_token").asText();
        Reply r = b.send("PATCH", "/accounts/users/me", json("fname", "Changed"), "Authorization", "Bearer " + token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("user").get("fname").asText()).isEqualTo("Changed");
        assertThat(b.send("GET", "/accounts/users/me", null).json().get("user").get("fname").asText()).isEqualTo("Ada");
    }

    @Test
    void thePublicUrlIsTheOnlyOriginAllowedWhenTheHostGivesOne() {
        AccountsRoutes routes = AccountsRoutes.builder(suite.fixture.accounts).csrfKey(new byte[32])
                .publicUrl(URI.create("https://app.example.com:443/")).build();
        try (TestServer other = new TestServer(http -> routes.mount(http, "/accounts"))) {
            Browser b = signUp(); // same key, same database: the token holds on the second server too
            String cookie = SESSION + "=" + b.cookies.get(SESSION);
            Reply own = other.send("PATCH", "/accounts/users/me", json("fname", "Pub"), null, "Cookie", cookie,
                    "X-CSRF-Token", b.csrf, "Origin", "https://app.example.com");
            assertThat(own.status()).as(own.body()).isEqualTo(200);
            Reply hostOrigin = other.send("PATCH", "/accounts/users/me", json("fname", "Host"), null, "Cookie", cookie,
                    "X-CSRF-Token", b.csrf, "Origin", other.base);
            assertProblem(hostOrigin, 403, "csrf_failed");
        }
    }

    @Test
    void withoutACsrfKeyOrAHostSecretBuildRefusesInOneLine() {
        try (Accounts keyed = Accounts.builder(suite.fixture.emf).throttleSecret(TestAccounts.THROTTLE_SECRET)
                .housekeeping(false).build()) {
            assertThatThrownBy(() -> AccountsRoutes.builder(keyed).build()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("No CSRF key: build the Accounts with AccountsBuilder.secret(...) (or "
                            + "developmentKeys()), or give AccountsRoutes.Builder.csrfKey(...)");
        }
    }

    @Test
    void insecureCookiesDropSecureAndTheNamePrefixesThatNeedIt() {
        AccountsRoutes routes = AccountsRoutes.builder(suite.fixture.accounts).insecureCookies(true)
                .clock(suite.fixture.clock).build();
        try (TestServer plain = new TestServer(http -> routes.mount(http, "/auth"))) {
            Reply r = plain.send("POST", "/auth/users", json("email", HttpSuite.email("plain"),
                    "fname", "Pia", "lname", "Plain", "password", PASSWORD), null, "X-Session-Transport", "cookie");
            assertThat(r.status()).isEqualTo(201);
            List<String> set = r.raw().headers().allValues("Set-Cookie");
            assertThat(set).hasSize(2);
            assertThat(set.get(0)).startsWith("accounts_session=").endsWith("; Path=/; Max-Age=604800; HttpOnly; SameSite=Lax");
            assertThat(set.get(1)).startsWith("accounts_refresh=").contains("; Path=/auth/sessions/refresh; ")
                    .endsWith("; HttpOnly; SameSite=Strict").doesNotContain("Secure");
            String cookie = set.get(0).split(";", 2)[0];
            assertThat(plain.send("GET", "/auth/users/me", null, null, "Cookie", cookie).status()).isEqualTo(200);
        }
    }
}
