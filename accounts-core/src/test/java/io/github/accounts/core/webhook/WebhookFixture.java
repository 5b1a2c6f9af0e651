package io.github.accounts.core.webhook;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.MutableClock;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.persistence.EntityManagerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accounts with webhooks on one fresh database, the worker in the test's hands ({@code deliverDue}) unless a test
 * asks for the background one; {@link #another} opens a second instance on the same database (another process, or
 * the same one restarted). Close it after the test.
 */
final class WebhookFixture implements AutoCloseable {
    static final byte[] KEY = "a webhook key for tests only, 32".getBytes(StandardCharsets.UTF_8);

    final MutableClock clock = MutableClock.startingNow();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final HikariDataSource dataSource;
    final EntityManagerFactory emf;
    final Accounts accounts;
    private final List<Accounts> opened = new ArrayList<>();

    WebhookFixture(TestDatabase database, WebhookPolicy policy, boolean background) {
        this.dataSource = database.freshMigratedDataSource();
        this.emf = Accounts.entityManagerFactory(dataSource, Map.of());
        this.accounts = another(policy, background);
    }

    Accounts another(WebhookPolicy policy, boolean background) {
        return another(KEY, List.of(), policy, background);
    }

    /** Another instance whose webhook key is {@code key}, still opening secrets sealed under {@code olderKeys}. */
    Accounts another(byte[] key, List<byte[]> olderKeys, WebhookPolicy policy, boolean background) {
        AccountsBuilder builder = Accounts.builder(emf)
                .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING))
                .clock(clock).throttleSecret(TestAccounts.THROTTLE_SECRET).webhooks(key, olderKeys, policy)
                .mailer((to, subject, body) -> { }).meterRegistry(registry);
        Accounts a = (background ? builder : builder.housekeeping(false)).build();
        opened.add(a);
        return a;
    }

    /** A new user's session, acting as an operator (the host's check is not the library's business). */
    Authenticated operator() {
        return accounts.sessions().authenticate(TestUsers.signUp(accounts, "operator").session().sessionToken());
    }

    @Override
    public void close() {
        opened.forEach(Accounts::close);
        emf.close();
        dataSource.close();
    }
}
