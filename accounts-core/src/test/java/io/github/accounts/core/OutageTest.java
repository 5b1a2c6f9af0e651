package io.github.accounts.core;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.RestartablePostgres;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutageTest {

    @Test
    void whileTheDatabaseIsAwayCallsFailAsUnavailableAndRecoverWhenItReturns() {
        try (RestartablePostgres pg = new RestartablePostgres()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(pg.jdbcUrl());
            config.setConnectionTimeout(1_000);
            config.setMaximumPoolSize(4);
            try (HikariDataSource ds = new HikariDataSource(config)) {
                TestDatabase.migrate(ds, Accounts.CHANGELOG);
                EntityManagerFactory emf = Accounts.entityManagerFactory(ds, Map.of());
                try (Accounts accounts = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(AccountsConfig.originalDesign()
                        .withHashing(TestAccounts.CHEAP_HASHING)).build()) {
                    String token = accounts.signIns().signUp(new NewUser("outage@example.com", "Ada", "L",
                            "plum ferry quartz nine lantern"), ClientInfo.unknown()).session().sessionToken();

                    pg.stop();
                    Instant before = Instant.now();
                    assertThatThrownBy(() -> accounts.sessions().authenticate(token))
                            .isInstanceOfSatisfying(AccountsException.class, e -> {
                                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                                assertThat(e.retryAfter()).isPresent();
                            });
                    // "within a few seconds": bounded by the pool's connection timeout, not a TCP hang
                    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(10));

                    pg.start();
                    // Connections the restart killed fail once each (as unavailable) and leave the pool.
                    assertThat(eventually(() -> accounts.sessions().authenticate(token)).user().email())
                            .isEqualTo("outage@example.com");
                } finally {
                    emf.close();
                }
            }
        }
    }

    private static <T> T eventually(java.util.function.Supplier<T> call) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return call.get();
            } catch (AccountsException e) {
                if (e.code() != ErrorCode.UNAVAILABLE || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
