package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class SecretsAtRestPostgresTest extends SecretsAtRestTest {
    SecretsAtRestPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
