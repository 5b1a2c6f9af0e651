package io.github.accounts.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void developmentIsTheDefaultWithAnH2FileUnderDataAndPort5000() {
        Settings s = Settings.from(Map.of());
        assertThat(s.environment()).isEqualTo(Environment.DEVELOPMENT);
        assertThat(s.database().jdbcUrl()).startsWith("jdbc:h2:file:./data/accounts");
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(5000);
        assertThat(s.accountsProfile()).isEqualTo("original-design");
        assertThat(s.poolSize()).isEqualTo(2 * Runtime.getRuntime().availableProcessors() + 1);
        assertThat(s.environment().migratesOnStart()).isTrue();
        assertThat(s.environment().logsMailBodies()).isTrue();
    }

    @Test
    void testingUsesAFreshH2InMemoryEachTime() {
        Settings a = Settings.from(Map.of("APP_SETTINGS", "testing"));
        Settings b = Settings.from(Map.of("APP_SETTINGS", "testing"));
        assertThat(a.database().jdbcUrl()).startsWith("jdbc:h2:mem:");
        assertThat(a.database().jdbcUrl()).isNotEqualTo(b.database().jdbcUrl());
        assertThat(a.environment().migratesOnStart()).isTrue();
    }

    @Test
    void stagingAndProductionNeedDatabaseUrlAndNeverMigrateByThemselves() {
        for (String name : new String[] {"staging", "production"}) {
            assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", name)))
                    .isInstanceOf(Failure.class)
                    .hasMessage("DATABASE_URL is required when APP_SETTINGS=" + name
                            + " (e.g. DATABASE_URL=postgresql://user:password@host:5432/accounts)");
            Settings s = Settings.from(Map.of("APP_SETTINGS", name, "DATABASE_URL", "postgresql://u:p@db/app"));
            assertThat(s.environment().migratesOnStart()).isFalse();
        }
        assertThat(Environment.PRODUCTION.logsMailBodies()).isFalse();
    }

    @Test
    void everyVariableIsRead() {
        Settings s = Settings.from(Map.of("APP_SETTINGS", "Production", "DATABASE_URL", "postgres://u:p@db/app",
                "HOST", "127.0.0.1", "PORT", "8080", "ACCOUNTS_PROFILE", "asvs-level-2", "DATABASE_POOL_SIZE", "7",
                "TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2", "ALLOWED_ORIGINS", "https://app.example.com"));
        assertThat(s.environment()).isEqualTo(Environment.PRODUCTION);
        assertThat(s.database().description()).isEqualTo("PostgreSQL at db:5432/app");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.accountsProfile()).isEqualTo("asvs-level-2");
        assertThat(s.poolSize()).isEqualTo(7);
        assertThat(s.trustedProxies()).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
        assertThat(s.allowedOrigins()).containsExactly("https://app.example.com");
    }

    @Test
    void badValuesStopStartUpNamingTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", "prod")))
                .hasMessage("APP_SETTINGS must be development, testing, staging or production, not 'prod'");
        assertThatThrownBy(() -> Settings.from(Map.of("PORT", "80a")))
                .hasMessage("PORT must be a whole number from 0 to 65535, not '80a'");
        assertThatThrownBy(() -> Settings.from(Map.of("PORT", "70000"))).hasMessageStartingWith("PORT must be");
        assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_POOL_SIZE", "0")))
                .hasMessageStartingWith("DATABASE_POOL_SIZE must be");
        assertThatThrownBy(() -> Settings.from(Map.of("ACCOUNTS_PROFILE", "lax")))
                .hasMessage("ACCOUNTS_PROFILE must be original-design or asvs-level-2, not 'lax'");
        assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_URL", "sqlite:///x.db")))
                .hasMessageStartingWith("DATABASE_URL must look like");
    }

    @Test
    void dotEnvIsReadAndRealEnvironmentVariablesWinOverIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), """
                # a comment
                APP_SETTINGS=testing
                PORT=6000
                ACCOUNTS_PROFILE="asvs-level-2"
                """);
        Map<String, String> variables = Settings.variables(dir, Map.of("PORT", "7000"));
        Settings s = Settings.from(variables);
        assertThat(s.environment()).isEqualTo(Environment.TESTING);
        assertThat(s.accountsProfile()).isEqualTo("asvs-level-2");
        assertThat(s.port()).isEqualTo(7000);
    }

    @Test
    void noDotEnvMeansJustTheEnvironment(@TempDir Path dir) {
        assertThat(Settings.variables(dir, Map.of("PORT", "7000"))).containsExactly(Map.entry("PORT", "7000"));
    }

    @Test
    void aMalformedDotEnvStopsStartUp(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "PORT=6000\nDATABASE_URL postgresql://app:s3cret@db/app\n");
        assertThatThrownBy(() -> Settings.variables(dir, Map.of()))
                .isInstanceOf(Failure.class).hasMessageContaining(".env file").hasMessageContaining("malformed line")
                .hasMessageNotContaining("s3cret");
    }
}
