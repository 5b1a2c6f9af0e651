package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The admin routes over a real socket, behind the host's predicate; on H2 and PostgreSQL. */
@OnEachDatabase
class AdminRoutesTest extends HttpSuiteTest {
    private static final String OPERATOR = "operator@example.com";

    private String operatorToken;
    private long operatorId;

    @Override
    HttpSuite startSuite(TestDatabase database) {
        return HttpSuite.start(database, options -> options, (http, routes, fixture) -> {
            AdminRoutes.builder(fixture.accounts).operators(who -> who.user().email().startsWith("operator")).build()
                    .mount(http, "/admin/accounts");
            routes.mount(http, "/accounts");
        });
    }

    @BeforeParameterizedClassInvocation
    void signUpTheOperator() {
        JsonNode op = signUp(OPERATOR);
        operatorToken = op.get("session").get("session_token").asText();
        operatorId = op.get("user").get("id").asLong();
        verify(suite.fixture, OPERATOR, operatorToken);
    }

    /** Proves the inbox of {@code email}, signed in with {@code token}, as its owner would. */
    private static void verify(TestAccounts fixture, String email, String token) {
        fixture.accounts.mail().requestEmailVerification(fixture.accounts.sessions().authenticate(token));
        fixture.accounts.mail().confirmEmailVerification(fixture.lastMailTo(email).token());
    }

    private JsonNode signUp(String email) {
        return suite.signUp(email).json();
    }

    private Reply signIn(String email, String password) {
        return suite.send("POST", "/accounts/sessions", json("email", email, "password", password), null);
    }

    private Reply admin(String method, String path, String body) {
        return suite.send(method, "/admin/accounts" + path, body, operatorToken);
    }

    @Test
    void theAdminUserShapeSaysWhetherTheAccountHasAPassword() {
        long withPassword = signUp(HttpSuite.email("admin.haspw")).get("user").get("id").asLong();
        long without = signUp(HttpSuite.email("admin.nopw")).get("user").get("id").asLong();
        // as a provider or an email sign-in leaves an account: no password until a reset sets one
        io.github.accounts.core.testing.DatabaseRows.update(suite.fixture.dataSource,
                "update users set password_digest = null where id = ?", without);

        assertThat(admin("GET", "/users/" + withPassword, null).json().at("/user/has_password").asBoolean()).isTrue();
        Reply r = admin("GET", "/users/" + without, null);
        assertThat(r.json().at("/user/has_password").isBoolean()).as(r.body()).isTrue();
        assertThat(r.json().at("/user/has_password").asBoolean()).isFalse();
    }

    @Test
    void onlyOperatorsGetIn() {
        JsonNode other = signUp(HttpSuite.email("someone"));
        String token = other.get("session").get("session_token").asText();

        assertProblem(suite.send("GET", "/admin/accounts/users", null, null), 401, "unauthenticated");
        assertProblem(suite.send("GET", "/admin/accounts/users", null, "not-a-token"), 401, "unauthenticated");
        assertProblem(suite.send("GET", "/admin/accounts/users", null, token), 403, "forbidden");
        assertProblem(suite.send("POST", "/admin/accounts/users/" + operatorId + "/disable", "{}", token), 403,
                "forbidden");
        assertThat(admin("GET", "/users", null).status()).isEqualTo(200);
        assertProblem(admin("GET", "/nothing-here", null), 404, "not_found");
        assertProblem(admin("GET", "/users/" + Long.MAX_VALUE, null), 404, "not_found");
        assertProblem(admin("GET", "/users/abc", null), 404, "not_found");
    }

    @Test
    void usersAreListedByEmailPrefixInPages() {
        String prefix = HttpSuite.unique("listed") + "x";
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(signUp(prefix + i + "@example.com").get("user").get("id").asLong());
        }
        Reply first = admin("GET", "/users?email_prefix=" + prefix + "&limit=2", null);
        Reply second = admin("GET", "/users?email_prefix=" + prefix + "&limit=2&after="
                + first.json().get("next").asLong(), null);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        List<Long> listed = new ArrayList<>();
        first.json().get("users").forEach(u -> listed.add(u.get("id").asLong()));
        second.json().get("users").forEach(u -> listed.add(u.get("id").asLong()));
        assertThat(listed).isEqualTo(ids);
        assertThat(second.json().get("next").isNull()).isTrue();
        JsonNode user = second.json().get("users").get(0);
        assertThat(user.get("disabled").asBoolean()).isFalse();
        assertThat(user.get("sessions").asInt()).isEqualTo(1);
        assertThat(user.get("created_at").asText()).endsWith("Z");
        assertProblem(admin("GET", "/users?limit=0", null), 400, "validation_failed");
    }

    @Test
    void disablingRevokesEverySessionAndOnlyTheRightPasswordIsToldSo() {
        String email = HttpSuite.email("disabled");
        JsonNode target = signUp(email);
        long id = target.get("user").get("id").asLong();
        String token = target.get("session").get("session_token").asText();

        Reply disabled = admin("POST", "/users/" + id + "/disable", json("reason", "compromised"));

        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(disabled.json().get("user").get("disabled").asBoolean()).isTrue();
        assertThat(disabled.json().get("user").get("sessions").asInt()).isZero();
        assertProblem(suite.send("GET", "/accounts/users/me", null, token), 401, "unauthenticated");
        assertProblem(signIn(email, PASSWORD), 403, "account_disabled");
        assertProblem(signIn(email, "a wrong password, surely not"), 401, "invalid_credentials");

        Reply enabled = admin("POST", "/users/" + id + "/enable", null);
        assertThat(enabled.json().get("user").get("disabled").asBoolean()).isFalse();
        assertThat(signIn(email, PASSWORD).status()).isEqualTo(201);

        Reply events = admin("GET", "/users/" + id + "/events", null);
        List<String> types = new ArrayList<>();
        events.json().get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types).contains("user.disabled", "user.enabled", "session.revoked");
        events.json().get("events").forEach(e -> {
            if (List.of("user.disabled", "user.enabled").contains(e.get("type").asText())) {
                assertThat(e.get("detail").get("actor_user_id").asLong()).isEqualTo(operatorId);
            }
        });
    }

    @Test
    void forcedSignOutAndClearedBackOff() {
        String email = HttpSuite.email("forced");
        JsonNode target = signUp(email);
        long id = target.get("user").get("id").asLong();
        String token = target.get("session").get("session_token").asText();
        for (int i = 0; i < 5; i++) {
            signIn(email, "a wrong password, surely not");
        }
        assertProblem(signIn(email, PASSWORD), 429, "throttled");

        assertThat(admin("DELETE", "/users/" + id + "/sessions", null).status()).isEqualTo(204);
        assertThat(admin("DELETE", "/users/" + id + "/throttle", null).status()).isEqualTo(204);

        assertProblem(suite.send("GET", "/accounts/users/me", null, token), 401, "unauthenticated");
        assertThat(signIn(email, PASSWORD).status()).isEqualTo(201);
    }

    @Test
    void answersWithoutABodyHaveNoContentType() {
        long id = signUp(HttpSuite.email("bodiless")).get("user").get("id").asLong();
        for (String path : List.of("/users/" + id + "/sessions", "/users/" + id + "/throttle")) {
            Reply r = admin("DELETE", path, null);
            assertThat(r.status()).as(path).isEqualTo(204);
            assertThat(r.header("Content-Type")).as(path).isNull();
            assertThat(r.header("Content-Length")).as(path).isNull();
            assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-store");
        }
    }

    @Test
    void withTheSessionsOfTheRoutesAnOperatorsCookieWorksAndAnUnsafeCallNeedsTheCsrfToken() {
        AccountsRoutes routes = AccountsRoutes.builder(suite.fixture.accounts).csrfKey(new byte[32]).build();
        AdminRoutes admin = AdminRoutes.builder(suite.fixture.accounts).sessionsOf(routes)
                .operators(who -> who.user().email().equals(OPERATOR)).build();
        long target = signUp(HttpSuite.email("cookie.target")).get("user").get("id").asLong();
        try (TestServer cookies = new TestServer(http -> {
            admin.mount(http, "/admin/accounts");
            routes.mount(http, "/accounts");
        })) {
            Reply in = cookies.send("POST", "/accounts/sessions", json("email", OPERATOR, "password", PASSWORD), null,
                    "X-Session-Transport", "cookie");
            assertThat(in.status()).as(in.body()).isEqualTo(201);
            String cookie = in.raw().headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("__Host-accounts_session=")).findFirst().orElseThrow().split(";")[0];
            String csrf = in.json().get("session").get("csrf_token").asText();
            String user = "/admin/accounts/users/" + target;

            assertThat(cookies.send("GET", user, null, null, "Cookie", cookie).status()).isEqualTo(200);
            assertProblem(cookies.send("POST", user + "/disable", null, null, "Cookie", cookie), 403, "csrf_failed");
            assertThat(cookies.send("GET", user, null, null, "Cookie", cookie).json().get("user").get("disabled")
                    .asBoolean()).isFalse();
            assertThat(cookies.send("POST", user + "/disable", null, null, "Cookie", cookie, "X-CSRF-Token", csrf)
                    .status()).isEqualTo(200);

            // without sessionsOf, the admin routes take bearer tokens only
            assertProblem(suite.send("GET", user, null, null, "Cookie", cookie), 401, "unauthenticated");
        }
    }

    @Test
    void anOperatorWithoutASecondFactorUnderAsvsLevel2GetsMfaRequired() {
        AccountsConfig asvs = AccountsConfig.asvsLevel2().withHashing(TestAccounts.CHEAP_HASHING);
        try (TestAccounts strict = new TestAccounts(database, asvs);
             TestServer server = new TestServer(http -> {
                 AdminRoutes.builder(strict.accounts).operators(who -> who.user().email().equals(OPERATOR)).build()
                         .mount(http, "/admin/accounts");
                 AccountsRoutes.builder(strict.accounts).clock(strict.clock).build().mount(http, "/accounts");
             })) {
            // The attacker holds the operator's password only, or a session of it from before TOTP was required.
            Reply up = server.send("POST", "/accounts/users", json("email", OPERATOR, "fname", "Otto", "lname", "Ops",
                    "password", PASSWORD), null);
            String token = up.json().at("/session/session_token").asText();
            verify(strict, OPERATOR, token);

            assertProblem(server.get("/admin/accounts/users", token), 403, "mfa_required");
            long self = up.json().at("/user/id").asLong();
            assertProblem(server.send("POST", "/admin/accounts/users/" + self + "/enable", null, token), 403,
                    "mfa_required");

            Reply started = server.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD), token);
            Authenticator app = new Authenticator(started.json().get("secret").asText());
            strict.clock.advance(Duration.ofSeconds(30));
            assertThat(server.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code", app.code(strict.clock)),
                    token).status()).isEqualTo(200);
            assertThat(server.get("/admin/accounts/users", token).status()).isEqualTo(200);
        }
    }

    @Test
    void anOperatorWhoseEmailIsNotVerifiedGetsEmailNotVerified() {
        String token = signUp(HttpSuite.email("operator.unverified")).get("session").get("session_token").asText();

        assertProblem(suite.send("GET", "/admin/accounts/users", null, token), 409, "email_not_verified");
        assertProblem(suite.send("DELETE", "/admin/accounts/users/" + operatorId + "/sessions", null, token), 409,
                "email_not_verified");
        assertThat(admin("GET", "/users/" + operatorId, null).json().at("/user/sessions").asInt()).isPositive();
    }

    @Test
    void anOperatorDisablingItselfIsRefusedAndStaysEnabled() {
        assertProblem(admin("POST", "/users/" + operatorId + "/disable", json("reason", "oops")), 403, "forbidden");

        assertThat(admin("GET", "/users/" + operatorId, null).json().at("/user/disabled").asBoolean()).isFalse();
        assertThat(suite.send("GET", "/accounts/users/me", null, operatorToken).status()).isEqualTo(200);
    }

    @Test
    void anAdminActionIsRecordedWithTheOperatorsAddressAndAgentAndOutlivesTheTargetOnTheOperatorsAccount() {
        String email = HttpSuite.email("deleted.target");
        JsonNode target = signUp(email);
        long id = target.get("user").get("id").asLong();
        String agent = "OpsConsole/2.0 (" + HttpSuite.unique("agent") + ")";

        Reply disabled = suite.send("POST", "/admin/accounts/users/" + id + "/disable", json("reason", "spam"),
                operatorToken, "User-Agent", agent);
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        List<JsonNode> theirs = new ArrayList<>();
        admin("GET", "/users/" + id + "/events", null).json().get("events").forEach(theirs::add);
        JsonNode onTarget = theirs.stream().filter(e -> e.get("type").asText().equals("user.disabled")).findFirst()
                .orElseThrow();
        assertThat(onTarget.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(onTarget.get("user_agent").asText()).isEqualTo(agent);

        // The target's account goes, and its events with it.
        admin("POST", "/users/" + id + "/enable", null);
        String token = signIn(email, PASSWORD).json().at("/session/session_token").asText();
        assertThat(suite.send("DELETE", "/accounts/users/me", json("password", PASSWORD), token).status())
                .isEqualTo(204);
        assertProblem(admin("GET", "/users/" + id, null), 404, "not_found");

        List<JsonNode> mine = new ArrayList<>();
        suite.send("GET", "/accounts/users/me/events?limit=100", null, operatorToken).json().get("events")
                .forEach(mine::add);
        assertThat(mine).filteredOn(e -> e.get("type").asText().equals("operator.action")
                        && e.at("/detail/target_user_id").asLong() == id && e.at("/detail/action").asText().equals("disable"))
                .singleElement().satisfies(e -> {
                    assertThat(e.get("ip").asText()).isEqualTo("127.0.0.1");
                    assertThat(e.get("user_agent").asText()).isEqualTo(agent);
                    assertThat(e.at("/detail/reason").asText()).isEqualTo("spam");
                });
    }
}
