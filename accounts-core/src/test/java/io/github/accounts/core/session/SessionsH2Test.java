package io.github.accounts.core.session;

import io.github.accounts.core.testing.TestDatabase;

class SessionsH2Test extends SessionsTest {
    SessionsH2Test() {
        super(TestDatabase.H2);
    }
}
