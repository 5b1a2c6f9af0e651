package io.github.accounts.web;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.HostSecret;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import spark.Service;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one wiring call: everything a common host turns on, from one secret, in the order Spark needs. */
class AccountsHostTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final URI PUBLIC_URL = URI.create("https://app.example");
    private static final HostSecret FIRST = HostSecret.of(
            "the first host secret of AccountsHostTest, 32+".getBytes(StandardCharsets.UTF_8), List.of());
    private static final byte[] NEXT = "the next host secret of AccountsHostTest, 32+".getBytes(StandardCharsets.UTF_8);

    @Test
    void oneCallMountsCookiesCsrfTotpPasskeysRealtimeAndMailFromOneSecret() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            List<String> mailed = new CopyOnWriteArrayList<>();
            AtomicReference<AccountsHost> built = new AtomicReference<>();
            try (TestServer server = new TestServer(http -> {
                built.set(AccountsHost.builder(fixture.dataSource, TestAccounts.SECRET, PUBLIC_URL).name("Example")
                        .passkeys().realtime(Fanout.singleInstance()).mailer((to, subject, body) -> mailed.add(body))
                        .accounts(b -> b.config(fixture.accounts.config())).mount(http, "/auth"));
                http.before("/api/*", built.get().guard());
                http.get("/api/me", (req, res) -> AccountsRoutes.current(req).user().email());
            }); AccountsHost host = built.get()) {
                Reply up = server.send("POST", "/auth/users", json("email", "host@example.com", "fname", "Ada",
                        "lname", "Lovelace", "password", PASSWORD), null, "X-Session-Transport", "cookie");
                assertThat(up.status()).as(up.body()).isEqualTo(201);
                String cookie = sessionCookie(up);
                String csrf = up.json().get("session").get("csrf_token").asText();

                assertThat(server.send("GET", "/api/me", null, null, "Cookie", cookie).body())
                        .isEqualTo("host@example.com");
                assertThat(server.send("POST", "/auth/users/me/mfa/recovery-codes", json("password", PASSWORD), null,
                        "Cookie", cookie).code()).isEqualTo("csrf_failed");
                assertThat(server.send("POST", "/auth/sessions/passkey-options", null, null).status()).isEqualTo(200);
                assertThat(server.get("/auth/events/socket", null).body()).contains("WebSocket upgrades only");
                assertThat(host.realtime()).isPresent();
                assertThat(host.accounts().mfa().available()).isTrue();
                host.accounts().emailSignIn().request("host@example.com", ClientInfo.unknown());
                awaitUntil(() -> mailed.stream().anyMatch(body -> body.contains("https://app.example/#")));

                assertThat(server.send("DELETE", "/auth/sessions/current", null, null, "Cookie", cookie,
                        "X-CSRF-Token", csrf).status()).isEqualTo(204);
            }
        }
    }

    @Test
    void aPortInUseIsOneLineNamingTheAddressAtAwaitListening() throws Exception {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2);
             ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Service http = Service.ignite().ipAddress("127.0.0.1").port(taken.getLocalPort());
            try (AccountsHost host = AccountsHost.builder(fixture.dataSource, TestAccounts.SECRET, PUBLIC_URL)
                    .accounts(b -> b.config(fixture.accounts.config())).mount(http, "/auth")) {
                http.get("/hello", (req, res) -> "hello");
                assertThatThrownBy(host::awaitListening).isInstanceOf(CannotListenException.class)
                        .hasMessage("Cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                + ": the port is already in use");
            } finally {
                http.stop();
                http.awaitStop();
            }
        }
    }

    @Test
    void csrfTokensMadeUnderThePreviousSecretStillVerifyAfterARotation() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            String cookie;
            String csrf;
            try (Mounted before = new Mounted(fixture, FIRST)) {
                Reply up = before.server.send("POST", "/auth/users", json("email", "rotate@example.com", "fname",
                        "Ada", "lname", "Lovelace", "password", PASSWORD), null, "X-Session-Transport", "cookie");
                cookie = sessionCookie(up);
                csrf = up.json().get("session").get("csrf_token").asText();
            }
            try (Mounted unrelated = new Mounted(fixture, HostSecret.of(NEXT, List.of()))) {
                assertThat(unrelated.server.send("PATCH", "/auth/users/me", json("fname", "Ada"), null, "Cookie",
                        cookie, "X-CSRF-Token", csrf).code()).isEqualTo("csrf_failed");
            }
            try (Mounted rotated = new Mounted(fixture, HostSecret.of(NEXT, List.of(
                    "the first host secret of AccountsHostTest, 32+".getBytes(StandardCharsets.UTF_8))))) {
                assertThat(rotated.server.send("DELETE", "/auth/sessions/current", null, null, "Cookie", cookie,
                        "X-CSRF-Token", csrf).status()).isEqualTo(204);
            }
        }
    }

    @Test
    void mountRefusesInOneLineAServiceThatMappedARouteAlready() {
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2)) {
            Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
            try {
                http.get("/hello", (req, res) -> "hello");
                assertThatThrownBy(() -> AccountsHost.builder(fixture.dataSource, TestAccounts.SECRET, PUBLIC_URL)
                        .mount(http, "/auth")).isInstanceOf(IllegalStateException.class)
                        .hasMessage("AccountsHost.mount must come before any route or filter of the host's on this "
                                + "Service: mount accounts first, then add your own");
            } finally {
                http.stop();
                http.awaitStop();
            }
        }
    }

    /** An AccountsHost on its own server over the fixture's database. */
    private static final class Mounted implements AutoCloseable {
        final TestServer server;
        final AccountsHost host;

        Mounted(TestAccounts fixture, HostSecret secret) {
            AtomicReference<AccountsHost> built = new AtomicReference<>();
            this.server = new TestServer(http -> built.set(AccountsHost.builder(fixture.dataSource, secret, PUBLIC_URL)
                    .accounts(b -> b.config(fixture.accounts.config())).mount(http, "/auth")));
            this.host = built.get();
        }

        @Override
        public void close() {
            server.close();
            host.close();
        }
    }

    private static String sessionCookie(Reply reply) {
        return reply.raw().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-accounts_session=")).findFirst().orElseThrow()
                .split(";", 2)[0];
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(condition.getAsBoolean()).as("condition met within 5 s").isTrue();
    }
}
