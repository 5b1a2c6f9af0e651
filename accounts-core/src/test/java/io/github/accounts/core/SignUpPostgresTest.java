package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class SignUpPostgresTest extends SignUpTest {
    SignUpPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
