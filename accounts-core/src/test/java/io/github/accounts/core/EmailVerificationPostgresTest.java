package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class EmailVerificationPostgresTest extends EmailVerificationTest {
    EmailVerificationPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
