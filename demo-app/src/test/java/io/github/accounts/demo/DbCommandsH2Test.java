package io.github.accounts.demo;

import java.util.UUID;

class DbCommandsH2Test extends DbCommandsTest {
    @Override
    String freshDatabaseUrl() {
        return "jdbc:h2:mem:cli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }
}
