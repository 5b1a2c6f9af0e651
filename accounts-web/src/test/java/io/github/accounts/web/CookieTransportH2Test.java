package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class CookieTransportH2Test extends CookieTransportTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
