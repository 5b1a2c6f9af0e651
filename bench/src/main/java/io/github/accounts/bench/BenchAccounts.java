package io.github.accounts.bench;

import io.github.accounts.core.testing.TestAccounts;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.config.AccountsConfig;
import jakarta.persistence.EntityManagerFactory;

import java.util.Map;

/** An {@link Accounts} over a benchmark's database, with the factory and pool it stands on, closed together. */
final class BenchAccounts implements AutoCloseable {
    final HikariDataSource dataSource;
    final Accounts accounts;
    private final EntityManagerFactory emf;

    BenchAccounts(HikariDataSource dataSource, AccountsConfig config) {
        this.dataSource = dataSource;
        this.emf = Accounts.entityManagerFactory(dataSource, Map.of());
        this.accounts = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config).housekeeping(false).build(); // no purge mid-measurement
    }

    @Override
    public void close() {
        accounts.close();
        emf.close();
        dataSource.close();
    }
}
