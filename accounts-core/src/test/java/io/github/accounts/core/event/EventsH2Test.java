package io.github.accounts.core.event;

import io.github.accounts.core.testing.TestDatabase;

class EventsH2Test extends EventsTest {
    EventsH2Test() {
        super(TestDatabase.H2);
    }
}
