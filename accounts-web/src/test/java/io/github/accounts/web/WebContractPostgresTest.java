package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class WebContractPostgresTest extends WebContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
