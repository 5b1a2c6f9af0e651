package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class ProfilePostgresTest extends ProfileTest {
    ProfilePostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
