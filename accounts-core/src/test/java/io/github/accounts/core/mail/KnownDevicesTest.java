package io.github.accounts.core.mail;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** What makes two sign-ins "the same device": user-agent family and network; and what the check reads. */
class KnownDevicesTest {
    private static final String EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70";
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)"
            + " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    @Test
    void aFamilyIsTheBrowserAndSystemWithoutVersions() {
        assertThat(KnownDevices.family(EDGE)).isEqualTo("Edg/Windows");
        assertThat(KnownDevices.family(EDGE.replace("131.0", "132.0"))).isEqualTo("Edg/Windows");
        assertThat(KnownDevices.family(SAFARI_IPHONE)).isEqualTo("Safari/iPhone");
        assertThat(KnownDevices.family("curl/8.5.0")).isEqualTo(KnownDevices.family("curl/8.11.1"));
        assertThat(KnownDevices.family(null)).isEmpty();
    }

    @Test
    void aNetworkIsTheSlash24OrTheSlash64() {
        assertThat(KnownDevices.network("198.51.100.7")).isEqualTo(KnownDevices.network("198.51.100.250"))
                .isNotEqualTo(KnownDevices.network("198.51.101.7"));
        assertThat(KnownDevices.network("2001:db8:1:2::1")).isEqualTo(KnownDevices.network("2001:db8:1:2:a:b:c:d"))
                .isNotEqualTo(KnownDevices.network("2001:db8:1:3::1"));
        assertThat(KnownDevices.network("::ffff:198.51.100.7")).isEqualTo(KnownDevices.network("198.51.100.9"));
    }

    @Test
    void somethingThatIsNoAddressLiteralIsNeverLookedUp() {
        assertThat(KnownDevices.network("cafe")).isEqualTo("cafe");
        assertThat(KnownDevices.network("localhost")).isEqualTo("localhost");
    }

    /**
     * Every sign-in runs the check, so it reads the account's last {@value KnownDevices#RECENT} sign-ins and no more
     * (on H2, ordered by {@code id desc} alone, it read and sorted all 5,000 here: measured as a tenth of the
     * server's CPU under bench/run's sign-in load).
     */
    @Test
    void theCheckReadsTheLatestSignInsOnlyHoweverManyTheAccountHas() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            TestUser user = TestUsers.signUp(t.accounts, "often-signed-in");
            DatabaseRows.insertEvents(t.dataSource, user.id(), 5_000, AccountEvent.SIGNED_IN);

            assertThat(DatabaseRows.rowsRead(t.dataSource, KnownDevices.RECENT_DEVICES, user.id(), Long.MAX_VALUE,
                    AccountEvent.USER_SIGNED_UP, AccountEvent.SIGNED_IN, OffsetDateTime.now(ZoneOffset.UTC).minusDays(90)))
                    .isLessThanOrEqualTo(KnownDevices.RECENT + 1);
        }
    }
}
