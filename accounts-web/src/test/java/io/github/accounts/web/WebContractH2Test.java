package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class WebContractH2Test extends WebContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
