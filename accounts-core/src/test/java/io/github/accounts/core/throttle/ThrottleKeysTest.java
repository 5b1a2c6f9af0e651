package io.github.accounts.core.throttle;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Throttle keys: keyed digests of an email or a network, never the value itself. */
class ThrottleKeysTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final ThrottleKeys keys = new ThrottleKeys(SECRET);

    @Test
    void keysHoldNoEmailOrAddressAndDependOnTheSecret() {
        String account = keys.account(SignInThrottle.SIGN_IN, "ada@example.com");
        assertThat(account).startsWith("sign-in:account:").doesNotContain("ada").hasSizeLessThanOrEqualTo(80);
        assertThat(keys.address("reset", "192.0.2.1")).startsWith("reset:address:").doesNotContain("192");
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        assertThat(new ThrottleKeys(other).account(SignInThrottle.SIGN_IN, "ada@example.com")).isNotEqualTo(account);
    }

    @Test
    void aSecretShorterThan32BytesIsRefusedWithASentence() {
        assertThatThrownBy(() -> new ThrottleKeys(Arrays.copyOf(SECRET, 31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The throttle secret must be at least 32 bytes, was 31 bytes");
        assertThatThrownBy(() -> new ThrottleKeys(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6CountsByItsSlash64AndMappedIpv4AsIpv4() {
        assertThat(keys.address("k", "2001:db8:1:2::1")).isEqualTo(keys.address("k", "2001:db8:1:2:ffff:ffff:ffff:ffff"))
                .isEqualTo(keys.address("k", "[2001:db8:1:2::9]")).isEqualTo(keys.address("k", "2001:db8:1:2::1%eth0"))
                .isNotEqualTo(keys.address("k", "2001:db8:1:3::1"));
        assertThat(keys.address("k", "::ffff:203.0.113.7")).isEqualTo(keys.address("k", "203.0.113.7"))
                .isNotEqualTo(keys.address("k", "203.0.113.8"));
    }

    @Test
    void whatIsNotAnIpLiteralHasNoKeyAndIsNeverLookedUp() {
        assertThat(keys.address("k", null)).isNull();
        assertThat(keys.address("k", "")).isNull();
        assertThat(keys.address("k", "example.com")).isNull();
        assertThat(keys.address("k", "999.1.1.1")).isNull();
        assertThat(keys.address("k", "2001:db8::zz")).isNull();
    }
}
