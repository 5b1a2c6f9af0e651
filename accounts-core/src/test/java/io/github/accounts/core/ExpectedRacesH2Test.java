package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class ExpectedRacesH2Test extends ExpectedRacesTest {
    ExpectedRacesH2Test() {
        super(TestDatabase.H2);
    }
}
