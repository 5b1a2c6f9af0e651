package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class SecretsAtRestH2Test extends SecretsAtRestTest {
    SecretsAtRestH2Test() {
        super(TestDatabase.H2);
    }
}
