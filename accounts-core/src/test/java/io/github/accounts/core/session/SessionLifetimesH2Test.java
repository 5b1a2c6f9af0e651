package io.github.accounts.core.session;

import io.github.accounts.core.testing.TestDatabase;

class SessionLifetimesH2Test extends SessionLifetimesTest {
    SessionLifetimesH2Test() {
        super(TestDatabase.H2);
    }
}
