package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class MyEventsPostgresTest extends MyEventsTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
