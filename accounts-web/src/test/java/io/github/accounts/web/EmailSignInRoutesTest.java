package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.accounts.web.HttpSuite.PREFIX;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /sessions/email} and its confirmation over a real socket, on H2 and on PostgreSQL. */
@OnEachDatabase
class EmailSignInRoutesTest extends HttpSuiteTest {
    private static final Pattern TOKEN = Pattern.compile("#email-sign-in-token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("\\n(\\d{3}) (\\d{3})\\n");

    private Mail request(String email) {
        return Mailbox.next(suite.fixture, email, () -> {
            Reply r = suite.post(PREFIX + "/sessions/email", json("email", email));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        });
    }

    private static String group(Pattern p, Mail mail) {
        Matcher m = p.matcher(mail.body());
        assertThat(m.find()).as(mail.body()).isTrue();
        return m.groupCount() == 1 ? m.group(1) : m.group(1) + m.group(2);
    }

    @Test
    void theLinksTokenSignsInOnce() {
        String email = HttpSuite.email("web.esi.link");
        suite.signUp(email);
        String token = group(TOKEN, request(email));

        Reply signedIn = suite.post(PREFIX + "/sessions/email/confirm", json("token", token));

        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(201);
        assertThat(signedIn.json().at("/user/email").asText()).isEqualTo(email);
        assertThat(signedIn.json().at("/user/email_verified").asBoolean()).isTrue();
        String session = signedIn.json().at("/session/session_token").asText();
        assertThat(suite.get(PREFIX + "/users/me", session).status()).isEqualTo(200);
        assertProblem(suite.post(PREFIX + "/sessions/email/confirm", json("token", token)), 401,
                "invalid_credentials");
    }

    @Test
    void theCodeSignsInInCookieMode() {
        String email = HttpSuite.email("web.esi.cookie");
        suite.signUp(email);
        String code = group(CODE, request(email));

        Reply signedIn = suite.send("POST", PREFIX + "/sessions/email/confirm",
                json("email", email, "code", code.substring(0, 3) + " " + code.substring(3)), null,
                "X-Session-Transport", "cookie");

        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(201);
        assertThat(signedIn.json().at("/session/csrf_token").asText()).isNotEmpty();
        assertThat(signedIn.json().at("/session").has("session_token")).isFalse();
        assertThat(signedIn.raw().headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("__Host-accounts_session=")).anyMatch(c -> c.contains("HttpOnly"));
        assertProblem(suite.post(PREFIX + "/sessions/email/confirm", json("email", email, "code", code)), 401,
                "invalid_credentials");
    }

    @Test
    void knownAndUnknownAddressesGetTheSameAnswer() {
        String known = HttpSuite.email("web.esi.known");
        suite.signUp(known);
        String unknown = HttpSuite.email("web.esi.unknown");

        Reply forKnown = suite.post(PREFIX + "/sessions/email", json("email", known));
        Reply forUnknown = suite.post(PREFIX + "/sessions/email", json("email", unknown));

        assertThat(forKnown.status()).isEqualTo(202);
        assertThat(forUnknown.status()).isEqualTo(forKnown.status());
        assertThat(forUnknown.body()).isEqualTo(forKnown.body()).isEmpty();
        assertThat(headersButDate(forUnknown.raw().headers())).isEqualTo(headersButDate(forKnown.raw().headers()));
        assertThat(suite.fixture.lastMailTo(unknown).subject()).isEqualTo("Sign-in attempt");
        assertThat(suite.fixture.lastMailTo(known).subject()).isEqualTo("Your sign-in link");
    }

    private static Map<String, List<String>> headersButDate(HttpHeaders headers) {
        Map<String, List<String>> out = new TreeMap<>(headers.map());
        out.remove("date");
        return out;
    }

    @Test
    void requestsOverTheLimitAreThrottledForKnownAndUnknownAddressesAlike() {
        String known = HttpSuite.email("web.esi.limit");
        suite.signUp(known);
        for (String email : List.of(known, HttpSuite.email("web.esi.limit.nobody"))) {
            for (int i = 0; i < 5; i++) {
                assertThat(suite.post(PREFIX + "/sessions/email", json("email", email)).status()).isEqualTo(202);
            }
            Reply refused = suite.post(PREFIX + "/sessions/email", json("email", email));
            assertProblem(refused, 429, "throttled");
            assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        }
    }

    @Test
    void aMalformedAddressOrAMissingProofFailsValidation() {
        assertProblem(suite.post(PREFIX + "/sessions/email", json("email", "not an address")), 400,
                "validation_failed");
        assertProblem(suite.post(PREFIX + "/sessions/email/confirm", "{}"), 400, "validation_failed");
    }

    @Test
    void turnedOffTheRoutesAnswerNotFound() {
        try (Accounts off = Accounts.builder(suite.fixture.emf).secret(TestAccounts.SECRET).emailSignIn(false).build();
             TestServer server = new TestServer(http -> AccountsRoutes.builder(off).build().mount(http, PREFIX))) {
            TestClient client = new TestClient(server.base);
            assertProblem(client.send("POST", PREFIX + "/sessions/email", json("email", "ada@example.com"), null),
                    404, "not_found");
            assertProblem(client.send("POST", PREFIX + "/sessions/email/confirm", json("token", "x"), null), 404,
                    "not_found");
        }
    }
}
