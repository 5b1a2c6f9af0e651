package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class VendorFailuresH2Test extends VendorFailuresTest {
    VendorFailuresH2Test() {
        super(TestDatabase.H2);
    }
}
