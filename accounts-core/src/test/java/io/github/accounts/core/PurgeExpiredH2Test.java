package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class PurgeExpiredH2Test extends PurgeExpiredTest {
    PurgeExpiredH2Test() {
        super(TestDatabase.H2);
    }
}
