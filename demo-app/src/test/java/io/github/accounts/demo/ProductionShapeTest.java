package io.github.accounts.demo;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.RestartablePostgres;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production shape of issue 8: several stateless instances on one PostgreSQL behave as one, an outage is
 * answered with 503s and healed without a restart, and migrations are an operator's explicit step.
 */
class ProductionShapeTest {

    private static String freshPostgresUrl() {
        try (HikariDataSource schema = TestDatabase.POSTGRES.freshDataSource()) {
            return schema.getJdbcUrl();
        }
    }

    @Test
    void twoInstancesOnOnePostgresBehaveAsOne() {
        String url = freshPostgresUrl();
        try (TestApp a = new TestApp(Map.of("APP_SETTINGS", "development", "DATABASE_URL", url));
             TestApp b = new TestApp(Map.of("APP_SETTINGS", "development", "DATABASE_URL", url))) {
            // a token issued by one works on the other at once
            String token = a.signUp("shared@example.com", "Sam");
            assertThat(b.get("/api/greeting", token).status()).isEqualTo(200);

            // a sign-out on one is seen by the other on the very next request: there is no cache to go stale
            assertThat(b.send("DELETE", "/accounts/sessions/current", null, token).status()).isEqualTo(204);
            assertThat(a.get("/accounts/users/me", token).status()).isEqualTo(401);

            // throttling counts are shared: 3 failures on one and 2 on the other make the fifth
            Map<String, String> wrong = Map.of("email", "shared@example.com", "password", "not the password at all");
            for (int i = 0; i < 5; i++) {
                assertThat((i % 2 == 0 ? a : b).send("POST", "/accounts/sessions", wrong, null).status()).isEqualTo(401);
            }
            Map<String, String> right = Map.of("email", "shared@example.com", "password", TestApp.PASSWORD);
            TestApp.Reply throttled = a.send("POST", "/accounts/sessions", right, null);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).isNotBlank();
            assertThat(b.send("POST", "/accounts/sessions", right, null).status()).isEqualTo(429);
        }
    }

    @Test
    void anOutageAnswers503QuicklyAndTheSameProcessRecoversWhenTheDatabaseReturns() throws InterruptedException {
        try (RestartablePostgres postgres = new RestartablePostgres();
             TestApp app = new TestApp(Map.of("APP_SETTINGS", "development", "DATABASE_URL", postgres.jdbcUrl()))) {
            String token = app.signUp("outage@example.com", "Olga");
            assertThat(app.get("/readyz", null).status()).isEqualTo(200);

            postgres.stop();
            long started = System.nanoTime();
            TestApp.Reply greeting = app.get("/api/greeting", token);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(greeting.status()).isEqualTo(503);
            assertThat(greeting.header("Content-Type")).startsWith("application/problem+json");
            assertThat(greeting.json().path("code").asText()).isEqualTo("unavailable");
            assertThat(greeting.header("Retry-After")).isNotBlank();
            assertThat(greeting.body()).doesNotContain("Exception").doesNotContain("SQL");
            assertThat(took).as("bounded by the pool's connection timeout, not a hang").isLessThan(Duration.ofSeconds(10));
            assertThat(app.get("/accounts/users/me", token).status()).isEqualTo(503);
            assertThat(app.get("/readyz", null).status()).isEqualTo(503);
            assertThat(app.get("/livez", null).status()).isEqualTo(200);

            postgres.start();
            // Connections the restart killed fail once each (503) and leave the pool; then it serves again.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (app.get("/readyz", null).status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(600); // past Hikari's 500 ms bypass window, so a borrowed connection is checked
            }
            assertThat(app.get("/readyz", null).status()).isEqualTo(200);
            assertThat(app.get("/api/greeting", token).json().path("message").asText()).isEqualTo("Hello, Olga!");
        }
    }

    @Test
    void productionInstancesOnAFreshDatabaseRefuseToStartUntilAnOperatorUpgrades() {
        String url = freshPostgresUrl();
        Map<String, String> production = Map.of("APP_SETTINGS", "production", "DATABASE_URL", url,
                "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> new TestApp(production)).hasMessageContaining("db upgrade");
        }
        assertThat(Cli.run(Path.of(""), production, "db", "upgrade").exit()).isZero();
        try (TestApp app = new TestApp(production)) {
            assertThat(app.get("/readyz", null).status()).isEqualTo(200);
        }
    }

    @Test
    void concurrentDbUpgradesFromTwoProcessesApplyEachChangeSetOnce() throws Exception {
        String url = freshPostgresUrl();
        List<Process> processes = new ArrayList<>();
        Path log = Files.createTempDirectory("upgrade-logs");
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "db", "upgrade")
                    .redirectErrorStream(true).redirectOutput(log.resolve("upgrade-" + i + ".log").toFile());
            pb.environment().put("APP_SETTINGS", "production");
            pb.environment().put("DATABASE_URL", url);
            pb.environment().put("SECRET_KEY", TestApp.SECRET_KEY);
            pb.environment().put("MAIL_URL", "log:");
            processes.add(pb.start());
        }
        for (Process p : processes) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        for (int i = 0; i < 2; i++) {
            File output = log.resolve("upgrade-" + i + ".log").toFile();
            assertThat(processes.get(i).exitValue()).as(Files.readString(output.toPath())).isZero();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct id) from databasechangelog")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(14).isEqualTo(rs.getInt(2));
        }
    }
}
