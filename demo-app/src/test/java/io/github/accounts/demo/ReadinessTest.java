package io.github.accounts.demo;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Health checks while the database goes away: its own PostgreSQL server, so stopping it harms no other test. */
class ReadinessTest {

    @Test
    void readyzTurns503WithinSecondsWhenTheDatabaseGoesWhileLivezStaysOk() throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        try (TestApp app = new TestApp(Map.of("DATABASE_URL", postgres.getJdbcUrl("postgres", "postgres")))) {
            String token = app.signUp("ready@example.com", "Rita");
            assertThat(app.get("/readyz", null).status()).isEqualTo(200);

            postgres.close();

            long started = System.nanoTime();
            TestApp.Reply ready = app.get("/readyz", null);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(app.get("/livez", null).status()).isEqualTo(200);

            TestApp.Reply greeting = app.get("/api/greeting", token);
            assertThat(greeting.status()).isEqualTo(503);
            assertThat(greeting.header("Content-Type")).startsWith("application/problem+json");
            assertThat(greeting.json().path("code").asText()).isEqualTo("unavailable");
        } finally {
            postgres.close();
        }
    }
}
