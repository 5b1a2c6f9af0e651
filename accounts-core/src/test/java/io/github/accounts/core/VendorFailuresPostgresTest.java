package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class VendorFailuresPostgresTest extends VendorFailuresTest {
    VendorFailuresPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
