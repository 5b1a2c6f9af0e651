package io.github.accounts.core;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostSecretTest {
    private static final String HEX = "8f1c0e6a2b9d4c7e5f3a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e";

    @Test
    void eachPurposeGetsTheHkdfSha256KeyDemoAppDerivedBeforeSoStoredSecretsStillOpen() {
        HostSecret secret = HostSecret.decode(HEX);
        for (String purpose : List.of(HostSecret.THROTTLE, HostSecret.TOTP, HostSecret.WEBHOOKS, HostSecret.CSRF)) {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(HexFormat.of().parseHex(HEX), null, purpose.getBytes(StandardCharsets.UTF_8)));
            byte[] expected = new byte[32];
            hkdf.generateBytes(expected, 0, 32);
            assertThat(secret.key(purpose)).isEqualTo(expected);
        }
        assertThat(secret.key(HostSecret.CSRF)).isNotEqualTo(secret.key(HostSecret.TOTP));
    }

    @Test
    void previousSecretsGiveThePreviousKeysNewestFirst() {
        byte[] older = new byte[32];
        HostSecret rotated = HostSecret.decode(HEX.replace('8', '9'), HEX,
                HexFormat.of().formatHex(older));
        assertThat(rotated.previousKeys(HostSecret.TOTP)).hasSize(2);
        assertThat(rotated.previousKeys(HostSecret.TOTP).get(0)).isEqualTo(HostSecret.decode(HEX).key(HostSecret.TOTP));
        assertThat(HostSecret.decode(HEX).previousKeys(HostSecret.TOTP)).isEmpty();
    }

    @Test
    void aMissingShortOrGarbledSecretIsRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> HostSecret.decode(null)).hasMessageStartingWith("No host secret given");
        assertThatThrownBy(() -> HostSecret.decode("  ")).hasMessageStartingWith("No host secret given");
        assertThatThrownBy(() -> HostSecret.decode("c2hvcnQ=")).hasMessageContaining("decodes to 5 bytes")
                .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> HostSecret.decode("not base64 at all!")).hasMessageContaining("it is neither")
                .hasMessageNotContaining("at all");
        assertThatThrownBy(() -> HostSecret.of(new byte[31], List.of())).hasMessageContaining("31 bytes");
    }

    @Test
    void base64AndUrlSafeBase64AreAccepted() {
        byte[] bytes = HexFormat.of().parseHex(HEX);
        HostSecret hex = HostSecret.decode(HEX);
        assertThat(HostSecret.decode(java.util.Base64.getEncoder().encodeToString(bytes)).key("x"))
                .isEqualTo(hex.key("x"));
        assertThat(HostSecret.decode(java.util.Base64.getUrlEncoder().encodeToString(bytes)).key("x"))
                .isEqualTo(hex.key("x"));
    }

    @Test
    void itsTextShowsNoKey() {
        assertThat(HostSecret.decode(HEX).toString()).doesNotContain(HEX.substring(0, 8)).contains("0 previous");
        assertThat(HostSecret.development().toString()).isEqualTo("HostSecret[development]");
        assertThat(HostSecret.development().isDevelopment()).isTrue();
    }
}
