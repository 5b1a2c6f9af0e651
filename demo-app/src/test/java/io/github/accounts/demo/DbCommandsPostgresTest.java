package io.github.accounts.demo;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.TestDatabase;

/** The same commands on a real PostgreSQL server: a new schema of the test server for each test. */
class DbCommandsPostgresTest extends DbCommandsTest {
    @Override
    String freshDatabaseUrl() {
        try (HikariDataSource schema = TestDatabase.POSTGRES.freshDataSource()) {
            return schema.getJdbcUrl();
        }
    }
}
