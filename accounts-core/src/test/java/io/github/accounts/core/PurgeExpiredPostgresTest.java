package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class PurgeExpiredPostgresTest extends PurgeExpiredTest {
    PurgeExpiredPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
