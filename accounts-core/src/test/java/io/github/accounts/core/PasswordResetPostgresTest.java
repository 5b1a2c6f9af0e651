package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class PasswordResetPostgresTest extends PasswordResetTest {
    PasswordResetPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
