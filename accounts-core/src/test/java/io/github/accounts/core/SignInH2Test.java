package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class SignInH2Test extends SignInTest {
    SignInH2Test() {
        super(TestDatabase.H2);
    }
}
