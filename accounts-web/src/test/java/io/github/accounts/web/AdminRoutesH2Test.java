package io.github.accounts.web;

import io.github.accounts.core.testing.TestDatabase;

class AdminRoutesH2Test extends AdminRoutesTest {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
