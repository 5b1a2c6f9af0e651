package io.github.accounts.core.session;

import io.github.accounts.core.testing.TestDatabase;

class SessionLifetimesPostgresTest extends SessionLifetimesTest {
    SessionLifetimesPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
