package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Webhook secrets: what the earlier SecretBox sealed (commit a7358ab, before the sealing moved to
 * {@code internal.SealingKey}) still opens; older keys open while rotating, and a key not given is a clear fault.
 */
class SecretBoxTest {
    private static final byte[] KEY = "a webhook key for tests only, 32".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "a newer webhook key for tests 32".getBytes(StandardCharsets.UTF_8);
    private static final String KEY_ID_BEFORE = "LJP95wZNHb55zn67";
    private static final String SEALED_BEFORE =
            "6z8EFvKNMO1-A65EHEGHjW8okMvv-OkJr97CgX82kuvhnDz2dWA3CBKw0qKvqiVKP6xpURx8HYYJmeknt9xWmanO";
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void aSecretSealedByTheEarlierCodeOpensUnderTheSameKeyId() {
        SecretBox box = new SecretBox(KEY, List.of());

        assertThat(box.keyId()).isEqualTo(KEY_ID_BEFORE);
        assertThat(box.open(KEY_ID_BEFORE, SEALED_BEFORE)).isEqualTo(SECRET);
    }

    @Test
    void anOlderKeyOpensWhatItSealedAndTheCurrentOneSealsAgain() {
        SecretBox rotated = new SecretBox(NEW, List.of(KEY));

        assertThat(rotated.isOlder(KEY_ID_BEFORE)).isTrue();
        assertThat(rotated.open(KEY_ID_BEFORE, SEALED_BEFORE)).isEqualTo(SECRET);
        String resealed = rotated.seal(SECRET);
        assertThat(rotated.isOlder(rotated.keyId())).isFalse();
        assertThat(new SecretBox(NEW, List.of()).open(rotated.keyId(), resealed)).isEqualTo(SECRET);
    }

    @Test
    void aSecretUnderAKeyNotGivenIsAFaultNamingTheKeys() {
        SecretBox box = new SecretBox(NEW, List.of());

        AccountsException e = catchThrowableOfType(AccountsException.class,
                () -> box.open(KEY_ID_BEFORE, SEALED_BEFORE));

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.getCause()).hasMessageContaining(KEY_ID_BEFORE).hasMessageContaining(box.keyId());
    }
}
