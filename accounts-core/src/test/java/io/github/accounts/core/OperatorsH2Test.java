package io.github.accounts.core;

import io.github.accounts.core.testing.TestDatabase;

class OperatorsH2Test extends OperatorsTest {
    OperatorsH2Test() {
        super(TestDatabase.H2);
    }
}
