package io.github.accounts.core;

import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database fault that is not an outage leaves accounts as an AccountsException, with the vendor's cause kept. */
@OnEachDatabase
class VendorFailuresTest extends StorageTest {

    @Test
    void aBrokenSchemaIsAnInternalErrorWithTheCauseKeptForTheLog() {
        try (TestAccounts broken = new TestAccounts(database, config())) {
            TestUser user = TestUsers.signUp(broken.accounts, "broken.schema");
            Authenticated me = broken.accounts.sessions().authenticate(user.session().sessionToken());
            DatabaseRows.update(broken.dataSource, "drop table one_time_tokens");

            assertThatThrownBy(() -> broken.accounts.mail().requestEmailVerification(me))
                    .isInstanceOfSatisfying(AccountsException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                        assertThat(e.retryAfter()).isEmpty();
                        assertThat(e.getMessage()).doesNotContain("one_time_tokens");
                    })
                    .hasCauseInstanceOf(PersistenceException.class);
        }
    }
}
