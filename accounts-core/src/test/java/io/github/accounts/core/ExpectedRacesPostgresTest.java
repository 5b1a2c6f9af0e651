package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class ExpectedRacesPostgresTest extends ExpectedRacesTest {
    ExpectedRacesPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
