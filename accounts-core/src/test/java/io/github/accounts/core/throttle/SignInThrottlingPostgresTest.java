package io.github.accounts.core.throttle;

import io.github.accounts.core.testing.TestDatabase;

class SignInThrottlingPostgresTest extends SignInThrottlingTest {
    SignInThrottlingPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
