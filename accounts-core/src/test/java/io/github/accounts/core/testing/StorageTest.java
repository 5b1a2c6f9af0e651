package io.github.accounts.core.testing;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of every test that touches storage: an abstract subclass holds the test bodies, and two tiny concrete
 * classes run them on H2 and on PostgreSQL. One {@link TestAccounts} serves all tests of a class, so each test
 * uses its own users (see {@link TestUsers}) and never assumes the clock stands where another test left it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageTest {
    protected final TestDatabase database;
    protected TestAccounts t;
    protected Accounts accounts;

    protected StorageTest(TestDatabase database) {
        this.database = database;
    }

    /** The configuration of this class's accounts; the default is the fixture's (cheap hashing). */
    protected AccountsConfig config() {
        return AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING);
    }

    @BeforeAll
    void startAccounts() {
        t = new TestAccounts(database, config());
        accounts = t.accounts;
    }

    @AfterAll
    void closeAccounts() {
        if (t != null) {
            t.close();
        }
    }
}
