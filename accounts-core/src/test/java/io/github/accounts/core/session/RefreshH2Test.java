package io.github.accounts.core.session;

import io.github.accounts.core.testing.TestDatabase;

class RefreshH2Test extends RefreshTest {
    RefreshH2Test() {
        super(TestDatabase.H2);
    }
}
