package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class MyEventsH2Test extends MyEventsTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
