package io.github.accounts.core;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void shippedChangelogMatchesTheEntities(TestDatabase database) throws Exception {
        try (HikariDataSource ds = database.freshMigratedDataSource();
             EntityManagerFactory emf = Accounts.entityManagerFactory(ds, Map.of("hibernate.hbm2ddl.auto", "validate"));
             Connection c = ds.getConnection();
             ResultSet tables = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            assertThat(emf.isOpen()).isTrue();
            java.util.Set<String> names = new java.util.HashSet<>();
            while (tables.next()) {
                names.add(tables.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
            assertThat(names).contains("users", "sessions", "one_time_tokens", "sign_in_throttle");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void validationFailsOnAnEmptyDatabase(TestDatabase database) {
        try (HikariDataSource ds = database.freshDataSource()) {
            assertThatThrownBy(() -> Accounts.entityManagerFactory(ds, Map.of("hibernate.hbm2ddl.auto", "validate")))
                    .rootCause().hasMessageContaining("missing table");
        }
    }
}
