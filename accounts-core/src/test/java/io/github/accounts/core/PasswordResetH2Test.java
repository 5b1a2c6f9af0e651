package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class PasswordResetH2Test extends PasswordResetTest {
    PasswordResetH2Test() {
        super(TestDatabase.H2);
    }
}
