package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class OperatorsPostgresTest extends OperatorsTest {
    OperatorsPostgresTest() {
        super(TestDatabase.POSTGRES);
    }
}
