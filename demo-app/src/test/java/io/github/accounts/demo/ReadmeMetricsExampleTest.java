package io.github.accounts.demo;

import io.github.accounts.core.HostSecret;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/metrics.md as written (here, where the Prometheus registry is); DocsSnippetsTest checks that the two agree. */
class ReadmeMetricsExampleTest {

    @Test
    void theReadmeSnippetRuns() {
        DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
        EntityManagerFactory emf = Accounts.entityManagerFactory(dataSource, Map.of());
        HostSecret secret = HostSecret.development();
        // --- docs snippet starts
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Accounts accounts = Accounts.builder(emf).secret(secret).meterRegistry(registry).build()) {   // closing removes the meters
            accounts.signIns().signUp(new NewUser("bob@example.com", "Bob", "Builder", "a long and unusual passphrase"),
                    ClientInfo.unknown());
            accounts.purgeExpired();                       // the housekeeping does this every 5 minutes
            String text = registry.scrape();               // accounts_sign_ups_total{outcome="success"} 1.0 ...
            // --- docs snippet ends
            assertThat(text).contains("accounts_sign_ups_total{outcome=\"success\"} 1.0",
                    "accounts_sessions_active 1.0", "accounts_password_hash_seconds_count{operation=\"hash\"} 1");
        }
        assertThat(registry.scrape()).doesNotContain("accounts_");
        emf.close();
    }
}
