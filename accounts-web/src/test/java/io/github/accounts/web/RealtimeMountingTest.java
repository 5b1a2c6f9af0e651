package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.Service;

import static io.github.accounts.web.RealtimeTest.ready;
import static io.github.accounts.web.RealtimeTest.signUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the real-time socket goes when routes are mounted: the first mount on a server registers it, before any route. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeMountingTest {
    private TestAccounts fixture;
    private Realtime realtime;
    private AccountsRoutes routes;

    @BeforeAll
    void start() {
        fixture = new TestAccounts(TestDatabase.H2);
        realtime = Realtime.builder().build();
        routes = AccountsRoutes.builder(fixture.accounts).realtime(realtime).csrfKey(new byte[32]).build();
    }

    @AfterAll
    void stop() {
        realtime.close();
        fixture.close();
    }

    @Test
    void mountingAfterTheHostMappedARouteFailsWithASentence() {
        Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
        try {
            http.get("/api/early", (req, res) -> "too early");

            assertThatThrownBy(() -> routes.mount(http, "/accounts")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must come before the host maps any route");
        } finally {
            http.stop();
            http.awaitStop();
        }
    }

    @Test
    void laterMountsAtAnotherPrefixAndTheAdminRoutesKeepWorking() {
        Accounts accounts = fixture.accounts;
        AdminRoutes admin = AdminRoutes.builder(accounts).operators(who -> true).build();
        try (TestServer server = new TestServer(http -> {
            routes.mount(http, "/accounts");
            routes.mount(http, "/v2/accounts");
            admin.mount(http, "/admin/accounts");
            http.get("/api/hello", (req, res) -> "hello");
        })) {
            RealtimeTest.SignedUp alice = signUp(server, "mount-alice");

            assertThat(ready(server, alice).isClosed()).isFalse();
            assertThat(server.get("/v2/accounts/users/me", alice.token()).status()).isEqualTo(200);
            assertThat(server.get("/v2/accounts/events/socket", null).status()).isEqualTo(404);
            // the admin routes answer (alice, let in by the predicate, has not verified her email)
            assertThat(server.get("/admin/accounts/users", alice.token()).code()).isEqualTo("email_not_verified");
            assertThat(server.get("/api/hello", null).body()).isEqualTo("hello");
        }
    }

    @Test
    void routesWithoutARealtimeChannelHaveNoSocket() {
        AccountsRoutes plain = AccountsRoutes.builder(fixture.accounts).csrfKey(new byte[32]).build();
        try (TestServer server = new TestServer(http -> {
            http.get("/api/first", (req, res) -> "a host route before the mount is fine without a channel");
            plain.mount(http, "/accounts");
        })) {
            assertThat(server.get("/accounts/events/socket", null).status()).isEqualTo(404);
            assertThat(TestSocket.refusedStatus(server.base, RealtimeTest.SOCKET)).isEqualTo(404);
        }
    }
}
