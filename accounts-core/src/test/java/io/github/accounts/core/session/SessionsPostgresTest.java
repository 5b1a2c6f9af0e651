package io.github.accounts.core.session;

import io.github.accounts.core.testing.TestDatabase;

class SessionsPostgresTest extends SessionsTest {
    SessionsPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
