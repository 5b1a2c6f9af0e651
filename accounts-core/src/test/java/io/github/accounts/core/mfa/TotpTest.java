package io.github.accounts.core.mfa;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 6238 as authenticator apps do it, checked against the RFC's own test vectors (appendix B, SHA1). */
class TotpTest {
    /** The RFC's SHA1 seed: the ASCII string "12345678901234567890". */
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void eightDigitCodesMatchTheRfcVectors() {
        assertThat(rfc(59)).isEqualTo("94287082");
        assertThat(rfc(1111111109)).isEqualTo("07081804");
        assertThat(rfc(1111111111)).isEqualTo("14050471");
        assertThat(rfc(1234567890)).isEqualTo("89005924");
        assertThat(rfc(2000000000)).isEqualTo("69279037");
        assertThat(rfc(20000000000L)).isEqualTo("65353130");
    }

    @Test
    void sixDigitCodesAreTheLastSixDigitsOfTheRfcVectors() {
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
        assertThat(Totp.code(SEED, Totp.step(Instant.ofEpochSecond(20000000000L)))).isEqualTo("353130");
    }

    @Test
    void stepsAreThirtySecondsSinceTheEpoch() {
        assertThat(Totp.step(Instant.ofEpochSecond(59))).isEqualTo(1);
        assertThat(Totp.step(Instant.ofEpochSecond(1111111109))).isEqualTo(0x23523EC);
        assertThat(Totp.step(Instant.ofEpochSecond(29))).isZero();
        assertThat(Totp.step(Instant.ofEpochSecond(30))).isEqualTo(1);
    }

    @Test
    void oneStepOfDriftEitherWayIsAcceptedAndTwoAreNot() {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.verify(SEED, Totp.code(SEED, step), now, null)).hasValue(step);
        assertThat(Totp.verify(SEED, Totp.code(SEED, step - 1), now, null)).hasValue(step - 1);
        assertThat(Totp.verify(SEED, Totp.code(SEED, step + 1), now, null)).hasValue(step + 1);
        assertThat(Totp.verify(SEED, Totp.code(SEED, step - 2), now, null)).isEmpty();
        assertThat(Totp.verify(SEED, Totp.code(SEED, step + 2), now, null)).isEmpty();
    }

    @Test
    void aStepAcceptedOnceOrAnEarlierOneIsRefused() {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        long step = Totp.step(now);
        assertThat(Totp.verify(SEED, Totp.code(SEED, step), now, step)).isEmpty();
        assertThat(Totp.verify(SEED, Totp.code(SEED, step - 1), now, step - 1)).isEmpty();
        assertThat(Totp.verify(SEED, Totp.code(SEED, step), now, step - 1)).hasValue(step);
    }

    @Test
    void onlySixAsciiDigitsArePlausibleCodes() {
        assertThat(Totp.plausible("012345")).isTrue();
        assertThat(Totp.plausible("01234")).isFalse();
        assertThat(Totp.plausible("0123456")).isFalse();
        assertThat(Totp.plausible("01234a")).isFalse();
        assertThat(Totp.plausible("٠١٢٣٤٥")).isFalse(); // Arabic-Indic digits
    }

    private static String rfc(long unixSeconds) {
        return Totp.code(SEED, Totp.step(Instant.ofEpochSecond(unixSeconds)), 8, "HmacSHA1");
    }
}
