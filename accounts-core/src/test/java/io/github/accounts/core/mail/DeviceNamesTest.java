package io.github.accounts.core.mail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Mail names a device by a fixed list of browsers and systems, never by the text the client sent. */
class DeviceNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0|Firefox on Linux",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
                    + " Safari/537.36|Chrome on macOS",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
                    + " Safari/537.36 Edg/131.0.0.0|Edge on Windows",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                    + " Version/17.0 Mobile/15E148 Safari/604.1|Safari on iOS",
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile"
                    + " Safari/537.36|Chrome on Android",
            "Click http://evil.example now|an unknown browser",
            "curl/8.5.0|an unknown browser",
            "Click http://evil.example Firefox/1 on Windows|Firefox on Windows"})
    void aUserAgentIsNamedByBrowserAndSystemOnly(String userAgent, String named) {
        assertThat(DeviceNames.device(userAgent)).isEqualTo(named);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "198.51.100.7|Firefox/1|Firefox, address 198.51.100.7",
            "2001:db8::1|null|an unknown browser, address 2001:db8::1",
            "evil.example|null|unknown",
            "Click http://evil.example|Firefox/1|Firefox",
            "null|null|unknown"})
    void anAddressAppearsOnlyAsAnIpLiteral(String ip, String userAgent, String described) {
        assertThat(DeviceNames.deviceAndAddress(userAgent, ip)).isEqualTo(described);
    }
}
