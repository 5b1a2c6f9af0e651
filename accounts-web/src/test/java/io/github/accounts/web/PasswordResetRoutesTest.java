package io.github.accounts.web;

import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /password-resets} and its confirmation over a real socket, on H2 and on PostgreSQL. */
@OnEachDatabase
class PasswordResetRoutesTest extends HttpSuiteTest {
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    @Test
    void theResetNoticeSaysWhichAddressAndBrowserConfirmedTheReset() {
        String email = HttpSuite.email("web.reset");
        suite.signUp(email);
        String token = Mailbox.next(suite.fixture, email, () -> assertThat(suite.post("/accounts/password-resets",
                json("email", email)).status()).isEqualTo(202)).token();

        Reply confirmed = suite.send("POST", "/accounts/password-resets/confirm",
                json("token", token, "new_password", "a brand new passphrase of mine"), null, "User-Agent", AGENT);

        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(204);
        assertThat(Mailbox.awaitNotices(suite.fixture, email, "Your password was reset", 1).get(0).body())
                .contains("From: Firefox on Linux, address 127.0.0.1").doesNotContain(AGENT);
    }
}
