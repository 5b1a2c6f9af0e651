package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class EmailVerificationH2Test extends EmailVerificationTest {
    EmailVerificationH2Test() {
        super(TestDatabase.H2);
    }
}
