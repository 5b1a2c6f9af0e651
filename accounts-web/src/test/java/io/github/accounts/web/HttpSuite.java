package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import spark.Service;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an HTTP suite starts from: accounts on a test database ({@link TestAccounts}: cheap hashing, a clock to move,
 * a mailbox), their routes (on that clock too) on a real server at {@value #PREFIX}, and users signed up over it with
 * {@link #PASSWORD}.
 * It is the {@link TestClient} of that server. A suite on both databases gets one per run from {@link HttpSuiteTest};
 * a test that needs its own server starts one in a try-with-resources. Thread-safe, as its server is.
 */
final class HttpSuite extends TestClient implements AutoCloseable {
    static final String PREFIX = "/accounts";
    static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final AtomicInteger USERS = new AtomicInteger();

    final TestAccounts fixture;
    final AccountsRoutes routes;
    private final TestServer server;

    /** What a suite serves: the accounts routes and, around them, the host's own. */
    @FunctionalInterface
    interface Host {
        void mount(Service http, AccountsRoutes routes, TestAccounts fixture);
    }

    private HttpSuite(TestAccounts fixture, AccountsRoutes routes, TestServer server) {
        super(server.base);
        this.fixture = fixture;
        this.routes = routes;
        this.server = server;
    }

    /** The accounts routes with their defaults, alone on the server. */
    static HttpSuite start(TestDatabase database) {
        return start(database, options -> options);
    }

    /** The accounts routes as {@code options} builds them, alone on the server. */
    static HttpSuite start(TestDatabase database, UnaryOperator<AccountsRoutes.Builder> options) {
        return start(database, options, (http, routes, fixture) -> routes.mount(http, PREFIX));
    }

    /** The accounts routes of {@code fixture}'s accounts as {@code options} builds them, alone on the server. */
    static HttpSuite start(TestAccounts fixture, UnaryOperator<AccountsRoutes.Builder> options) {
        AccountsRoutes routes = options.apply(AccountsRoutes.builder(fixture.accounts).clock(fixture.clock)).build();
        return new HttpSuite(fixture, routes, new TestServer(http -> routes.mount(http, PREFIX)));
    }

    /** The accounts routes as {@code options} builds them, mounted by {@code host} beside its own. */
    static HttpSuite start(TestDatabase database, UnaryOperator<AccountsRoutes.Builder> options, Host host) {
        TestAccounts fixture = new TestAccounts(database);
        AccountsRoutes routes = options.apply(AccountsRoutes.builder(fixture.accounts).clock(fixture.clock)).build();
        return new HttpSuite(fixture, routes, new TestServer(http -> host.mount(http, routes, fixture)));
    }

    /** A name no other test uses: {@code hint}, a counter and the process id. */
    static String unique(String hint) {
        return hint + USERS.incrementAndGet() + "." + ProcessHandle.current().pid();
    }

    /** An address no other test uses. */
    static String email(String hint) {
        return unique(hint) + "@example.com";
    }

    /** Signs up Ada Lovelace at {@code email} with {@link #PASSWORD} (more headers as name, value pairs); the 201. */
    Reply signUp(String email, String... headers) {
        Reply r = send("POST", PREFIX + "/users", json("email", email, "fname", "Ada", "lname", "Lovelace",
                "password", PASSWORD), null, headers);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r;
    }

    /** Signs up {@code email}; the session token. */
    String signUpToken(String email) {
        return signUp(email).json().at("/session/session_token").asText();
    }

    /** {@code POST path} with a JSON body and no token. */
    Reply post(String path, String body) {
        return send("POST", path, body, null);
    }

    /** A problem answer: its status, the problem media type, and the contract's code. */
    static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).isEqualTo(code);
    }

    @Override
    public void close() {
        server.close();
        fixture.close();
    }
}
