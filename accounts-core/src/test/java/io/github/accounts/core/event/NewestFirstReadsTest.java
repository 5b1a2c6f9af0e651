package io.github.accounts.core.event;

import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The newest-first reads of an account's events walk their index on H2 too: they read the rows they answer with,
 * however many events the account has (ordered by {@code id desc} alone, or without a bound on the id, H2 read and
 * sorted all 5,000 here).
 */
class NewestFirstReadsTest {
    @Test
    void aPageAndTheNewestOfATypeReadOnlyTheRowsTheyNeed() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            TestUser user = TestUsers.signUp(t.accounts, "newest-first");
            DatabaseRows.insertEvents(t.dataSource, user.id(), 5_000);

            assertThat(DatabaseRows.rowsRead(t.dataSource, EventLog.PAGE, user.id(), Long.MAX_VALUE, 50))
                    .isLessThanOrEqualTo(51);
            assertThat(DatabaseRows.rowsRead(t.dataSource, EventLog.LATEST, user.id(), Long.MAX_VALUE,
                    AccountEvent.USER_UPDATED, OffsetDateTime.now(ZoneOffset.UTC).minusDays(1))).isLessThanOrEqualTo(1);
        }
    }
}
