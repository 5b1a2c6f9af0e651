package io.github.accounts.core.mail;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What makes two sign-ins "the same device": user-agent family and network. */
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
}
