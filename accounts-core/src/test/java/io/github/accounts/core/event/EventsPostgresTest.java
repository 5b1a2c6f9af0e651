package io.github.accounts.core.event;

import io.github.accounts.core.testing.TestDatabase;

class EventsPostgresTest extends EventsTest {
    EventsPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
