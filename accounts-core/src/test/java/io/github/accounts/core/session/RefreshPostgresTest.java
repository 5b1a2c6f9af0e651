package io.github.accounts.core.session;

import io.github.accounts.core.testing.TestDatabase;

class RefreshPostgresTest extends RefreshTest {
    RefreshPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
