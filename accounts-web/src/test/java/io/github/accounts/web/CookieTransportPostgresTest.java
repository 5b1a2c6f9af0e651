package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class CookieTransportPostgresTest extends CookieTransportTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
