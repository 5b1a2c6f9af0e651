package io.github.accounts.core.testing;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.config.AccountsConfig;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * The base of every test that touches storage: a subclass annotated {@link OnEachDatabase} (JUnit refuses one
 * without) holds the test bodies, and runs them on H2 and then on PostgreSQL. One {@link TestAccounts} per database serves all tests of a class,
 * so each test uses its own users (see {@link TestUsers}) and never assumes the clock stands where another test
 * left it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageTest {
    @Parameter
    protected TestDatabase database;
    protected TestAccounts t;
    protected Accounts accounts;

    /** The configuration of this class's accounts; the default is the fixture's (cheap hashing). */
    protected AccountsConfig config() {
        return AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING);
    }

    /** What this class adds to the fixture's builder; nothing by default. */
    protected AccountsBuilder builder(AccountsBuilder b) {
        return b;
    }

    @BeforeParameterizedClassInvocation
    void startAccounts() {
        t = new TestAccounts(database, config(), this::builder);
        accounts = t.accounts;
    }

    @AfterParameterizedClassInvocation
    void closeAccounts() {
        if (t != null) {
            t.close();
            t = null;
            accounts = null;
        }
    }
}
