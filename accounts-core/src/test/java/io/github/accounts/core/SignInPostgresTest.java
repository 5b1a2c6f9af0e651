package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class SignInPostgresTest extends SignInTest {
    SignInPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
