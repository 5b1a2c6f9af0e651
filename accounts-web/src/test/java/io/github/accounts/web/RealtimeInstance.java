package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.testing.MutableClock;
import io.github.accounts.core.testing.TestAccounts;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Set;

/**
 * One instance of a host with the real-time channel: its own {@link Accounts} (cheap hashing, sign-up limit lifted)
 * over a shared, migrated database, a {@link Realtime} on the given {@link Fanout}, and a real server with the
 * accounts mounted first and a host route after them, behind the test client as a trusted proxy.
 */
final class RealtimeInstance implements AutoCloseable {
    /** The test client's own address, trusted as a proxy: its {@code X-Forwarded-For} plays clients far apart. */
    static final String TRUSTED_PROXY = "127.0.0.1";
    final MutableClock clock = MutableClock.startingNow();
    final Realtime realtime;
    final Accounts accounts;
    final AccountsRoutes routes;
    final TestServer server;

    RealtimeInstance(DataSource dataSource, Fanout fanout, Realtime.Limits limits) {
        this.realtime = Realtime.builder().fanout(fanout).limits(limits).build();
        AccountsConfig config = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)
                .withThrottling(AccountsConfig.originalDesign().throttling()
                        .withSignUps(new ThrottleLimits.Rate(10_000, Duration.ofMinutes(1))));
        this.accounts = Accounts.builder(dataSource).config(config).clock(clock).housekeeping(false)
                .throttleSecret(TestAccounts.THROTTLE_SECRET).eventListener(realtime.listener()).build();
        this.routes = AccountsRoutes.builder(accounts).realtime(realtime).csrfKey(new byte[32]).clock(clock)
                .trustedProxies(Set.of(TRUSTED_PROXY)).build();
        this.server = new TestServer(http -> {
            routes.mount(http, "/accounts");
            http.get("/api/hello", (req, res) -> "hello");
        });
    }

    /** Test timings: the contract's bounds, with sweeps and timeouts short enough to watch. */
    static Realtime.Limits quick() {
        return new Realtime.Limits(1_000, 3, 8, Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(2),
                Duration.ofMillis(500));
    }

    @Override
    public void close() {
        server.close();
        realtime.close();
        accounts.close();
    }
}
