package io.github.accounts.core.mfa;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Sealing TOTP secrets with AES-256-GCM under key ids, and rotating keys. */
class TotpKeysTest {
    private static final byte[] OLD = key();
    private static final byte[] NEW = key();
    private static final byte[] SECRET = "twenty bytes secret!".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aSealedSecretOpensForItsUserOnlyAndHoldsNoPlainText() {
        TotpKeys keys = new TotpKeys(NEW, List.of());
        TotpKeys.Sealed sealed = keys.seal(7, SECRET);
        assertThat(keys.open(7, sealed)).isEqualTo(SECRET);
        assertThat(sealed.ciphertext()).doesNotContain("twenty");
        assertThat(keys.seal(7, SECRET).ciphertext()).isNotEqualTo(sealed.ciphertext()); // a fresh IV each time
        AccountsException moved = catchThrowableOfType(AccountsException.class, () -> keys.open(8, sealed));
        assertThat(moved.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        TotpKeys keys = new TotpKeys(NEW, List.of());
        TotpKeys.Sealed sealed = keys.seal(7, SECRET);
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.ciphertext());
        bytes[bytes.length - 1] ^= 1;
        TotpKeys.Sealed forged = new TotpKeys.Sealed(sealed.keyId(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        assertThat(catchThrowableOfType(AccountsException.class, () -> keys.open(7, forged)).code())
                .isEqualTo(ErrorCode.INTERNAL_ERROR);
    }

    @Test
    void anOlderKeyStillOpensWhatItSealedAndIsToldApart() {
        TotpKeys.Sealed underOld = new TotpKeys(OLD, List.of()).seal(7, SECRET);
        TotpKeys rotated = new TotpKeys(NEW, List.of(OLD));
        assertThat(rotated.open(7, underOld)).isEqualTo(SECRET);
        assertThat(rotated.isOlder(underOld.keyId())).isTrue();
        TotpKeys.Sealed again = rotated.seal(7, SECRET);
        assertThat(again.keyId()).isNotEqualTo(underOld.keyId());
        assertThat(rotated.isOlder(again.keyId())).isFalse();
        assertThat(catchThrowableOfType(AccountsException.class, () -> new TotpKeys(NEW, List.of()).open(7, underOld))
                .getCause()).hasMessageContaining(underOld.keyId());
    }

    @Test
    void recoveryDigestsAreKeyedAndPerUser() {
        TotpKeys keys = new TotpKeys(NEW, List.of(OLD));
        String digest = keys.recoveryDigest(7, "abcde23456");
        assertThat(digest).matches("[A-Za-z0-9_-]{43}");
        assertThat(keys.recoveryDigest(8, "abcde23456")).isNotEqualTo(digest);
        assertThat(keys.recoveryDigests(7, "abcde23456")).hasSize(2).first().isEqualTo(digest);
        assertThat(new TotpKeys(OLD, List.of()).recoveryDigest(7, "abcde23456")).isNotEqualTo(digest)
                .isEqualTo(keys.recoveryDigests(7, "abcde23456").get(1));
    }

    @Test
    void aKeyOfAnotherSizeIsRefusedWithItsSize() {
        assertThatThrownBy(() -> new TotpKeys(new byte[16], List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("A TOTP key must be 32 bytes, was 16 bytes");
    }

    private static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }
}
