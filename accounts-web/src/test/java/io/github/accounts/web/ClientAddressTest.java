package io.github.accounts.web;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static io.github.accounts.web.TestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The client address behind a trusted proxy: one client, one key, whatever form the proxy writes it in. */
class ClientAddressTest {
    private final ClientAddress behindProxy = new ClientAddress(Set.of("127.0.0.1", "0:0:0:0:0:0:0:1"));

    @Test
    void aPortOnAForwardedAddressDoesNotEscapeThePerAddressSignInLimit() {
        AccountsConfig twoPerAddress = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)
                .withThrottling(new ThrottleLimits(100, 2, Duration.ofMinutes(15), Duration.ofMinutes(1),
                        Duration.ofMinutes(15)));
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2, twoPerAddress);
             TestServer server = new TestServer(http -> AccountsRoutes.builder(fixture.accounts).clock(fixture.clock)
                     .trustedProxies(Set.of("127.0.0.1")).build().mount(http, "/accounts"))) {
            // The attacker's every connection reaches the proxy from another port, which the proxy forwards.
            for (String forwarded : new String[] {"1.2.3.4:1", "1.2.3.4:2"}) {
                assertThat(guess(server, forwarded).status()).isEqualTo(401);
            }

            assertThat(guess(server, "1.2.3.4:3").status()).isEqualTo(429);
            assertThat(guess(server, "[2001:db8::1]:443").status()).isEqualTo(401);
            assertThat(guess(server, "2001:DB8:0:0:0:0:0:1").status()).isEqualTo(401);
            assertThat(guess(server, "[2001:db8::1]").status()).isEqualTo(429);
            assertThat(guess(server, "5.6.7.8").status()).isEqualTo(401); // another client is not held up
        }
    }

    private static TestClient.Reply guess(TestServer server, String forwardedFor) {
        return server.send("POST", "/accounts/sessions", json("email", HttpSuite.email("victim"),
                "password", "wrong wrong wrong wrong"), null, "X-Forwarded-For", "198.51.100.9, " + forwardedFor);
    }

    @Test
    void forwardedAddressesAreCanonical() {
        assertThat(behindProxy.of("127.0.0.1", "1.2.3.4:5678")).isEqualTo("1.2.3.4");
        assertThat(behindProxy.of("127.0.0.1", "[2001:db8::2]:443")).isEqualTo("2001:db8::2");
        assertThat(behindProxy.of("127.0.0.1", "[2001:db8::2]")).isEqualTo("2001:db8::2");
        assertThat(behindProxy.of("127.0.0.1", "2001:0DB8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
        assertThat(behindProxy.of("127.0.0.1", "2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(behindProxy.of("127.0.0.1", "::ffff:1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(behindProxy.of("127.0.0.1", "010.001.002.003")).isEqualTo("10.1.2.3");
    }

    @Test
    void aForwardedHopThatIsNoAddressCountsAsThePeer() {
        for (String junk : new String[] {"unknown", "evil.example", "1.2.3.400", "1.2.3", "[1.2.3.4]", "::1::2",
                ".1:2", "_hidden", "1.2.3.4:99999"}) {
            assertThat(behindProxy.of("127.0.0.1", junk)).as(junk).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void trustedProxiesAreSkippedWhateverFormTheyAreWrittenIn() {
        assertThat(behindProxy.of("::1", "203.0.113.7, [::1]:8080")).isEqualTo("203.0.113.7");
        assertThat(behindProxy.of("0:0:0:0:0:0:0:1", "203.0.113.7, 127.0.0.1:80")).isEqualTo("203.0.113.7");
        assertThat(new ClientAddress(Set.of()).of("0:0:0:0:0:0:0:1", "203.0.113.7")).isEqualTo("::1");
    }
}
