package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class AdminRoutesPostgresTest extends AdminRoutesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
