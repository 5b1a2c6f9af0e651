package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class ProfileH2Test extends ProfileTest {
    ProfileH2Test() {
        super(TestDatabase.H2);
    }
}
