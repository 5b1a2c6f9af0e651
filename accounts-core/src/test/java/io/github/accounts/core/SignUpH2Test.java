package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class SignUpH2Test extends SignUpTest {
    SignUpH2Test() {
        super(TestDatabase.H2);
    }
}
