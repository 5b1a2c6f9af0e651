package io.github.accounts.core.throttle;

import io.github.accounts.core.testing.TestDatabase;

class SignInThrottlingH2Test extends SignInThrottlingTest {
    SignInThrottlingH2Test() {
        super(TestDatabase.H2);
    }
}
