package io.github.accounts.core.mfa;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What TotpKeys sealed and digested before its sealing moved to {@code internal.SealingKey} still opens and matches:
 * the values below were made by the earlier code (commit a7358ab) and are stored in databases today.
 */
class TotpKeysSealedBeforeTest {
    private static final byte[] KEY = "an old TOTP key for tests only 3".getBytes(StandardCharsets.UTF_8);
    private static final TotpKeys.Sealed SEALED_BEFORE = new TotpKeys.Sealed("Hy-cMRcPOc66_QAK",
            "i73FzK7E985aht66CCTNg95b3sorapDVOQaQs12WMwr18QKhZCB0XfLesJSe4WR3");
    private static final String DIGEST_BEFORE = "RjxbLAikwNujUzUmnvFXzyNwH54SzxLwbbzC5sIj0mM";

    @Test
    void aSecretSealedByTheEarlierCodeOpensAndItsKeyKeepsItsId() {
        TotpKeys keys = new TotpKeys(KEY, List.of());

        assertThat(new String(keys.open(42, SEALED_BEFORE), StandardCharsets.UTF_8)).isEqualTo("12345678901234567890");
        assertThat(keys.seal(42, new byte[20]).keyId()).isEqualTo(SEALED_BEFORE.keyId());
        assertThat(keys.isOlder(SEALED_BEFORE.keyId())).isFalse();
    }

    @Test
    void aRecoveryCodeDigestIsTheOneTheEarlierCodeStored() {
        TotpKeys keys = new TotpKeys(new byte[32], List.of(KEY));

        assertThat(new TotpKeys(KEY, List.of()).recoveryDigest(42, "abcd-efgh")).isEqualTo(DIGEST_BEFORE);
        assertThat(keys.recoveryDigests(42, "abcd-efgh")).endsWith(DIGEST_BEFORE);
        assertThat(new String(keys.open(42, SEALED_BEFORE), StandardCharsets.UTF_8)).isEqualTo("12345678901234567890");
    }
}
