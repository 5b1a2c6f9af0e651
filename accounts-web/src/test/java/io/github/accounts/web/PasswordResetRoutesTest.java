package io.github.accounts.web;

import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.util.concurrent.atomic.AtomicInteger;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /password-resets} and its confirmation over a real socket, on H2 and on PostgreSQL. */
@OnEachDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordResetRoutesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final AtomicInteger USERS = new AtomicInteger();

    private TestAccounts fixture;
    private TestServer server;

    @Parameter
    TestDatabase database;

    @BeforeParameterizedClassInvocation
    void start() {
        fixture = new TestAccounts(database);
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).build();
        server = new TestServer(http -> routes.mount(http, "/accounts"));
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
        fixture.close();
    }

    @Test
    void theResetNoticeSaysWhichAddressAndBrowserConfirmedTheReset() {
        String email = "web.reset" + USERS.incrementAndGet() + "." + ProcessHandle.current().pid() + "@example.com";
        assertThat(server.send("POST", "/accounts/users", json("email", email, "fname", "Ada", "lname", "Lovelace",
                "password", PASSWORD), null).status()).isEqualTo(201);
        String token = Mailbox.next(fixture, email, () -> assertThat(server.send("POST", "/accounts/password-resets",
                json("email", email), null).status()).isEqualTo(202)).token();

        Reply confirmed = server.send("POST", "/accounts/password-resets/confirm",
                json("token", token, "new_password", "a brand new passphrase of mine"), null, "User-Agent", AGENT);

        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(204);
        assertThat(Mailbox.awaitNotices(fixture, email, "Your password was reset", 1).get(0).body())
                .contains("From: address 127.0.0.1, " + AGENT);
    }
}
