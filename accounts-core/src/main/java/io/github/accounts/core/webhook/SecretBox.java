package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.internal.SealingKey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook signing secrets sealed at rest (AES-256-GCM under a key derived from the host's webhook key, see
 * {@link SealingKey}), since the signer must read them back; the key's id is stored beside each, so a wrong key is
 * a clear fault rather than garbage. The current key seals; older keys, given while rotating, still open what they
 * sealed until the housekeeping seals it again under the current one. New secrets are 32 random bytes, shown as
 * {@code whsec_} and their base64. Thread-safe.
 */
final class SecretBox {
    static final int KEY_BYTES = SealingKey.KEY_BYTES;
    static final String PREFIX = "whsec_";
    private static final byte[] AAD = "accounts-webhook-secret".getBytes(StandardCharsets.UTF_8);

    private final SealingKey current;
    private final Map<String, SealingKey> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** The current key and older ones still accepted for opening; each must be {@value #KEY_BYTES} bytes. */
    SecretBox(byte[] key, List<byte[]> older) {
        this.current = new SealingKey(key, "The webhook key", "webhook-secret");
        byId.put(current.id(), current);
        for (byte[] k : older) {
            SealingKey o = new SealingKey(k, "An older webhook key", "webhook-secret");
            byId.putIfAbsent(o.id(), o);
        }
    }

    /** A new secret in its shown form. */
    String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The id of the current key, stored beside what {@link #seal} seals. */
    String keyId() {
        return current.id();
    }

    /** Whether a secret sealed under {@code keyId} should be sealed again under the current key. */
    boolean isOlder(String keyId) {
        return !current.id().equals(keyId);
    }

    /** The IV and ciphertext of {@code secret}, base64url, under the current key. */
    String seal(String secret) {
        return current.seal(AAD, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** What {@link #seal} sealed under {@code sealedKeyId}; a key not given or a forged secret is a fault. */
    String open(String sealedKeyId, String sealed) {
        SealingKey key = byId.get(sealedKeyId);
        if (key == null) {
            throw AccountsException.internal(new IllegalStateException("A webhook secret is sealed under key "
                    + sealedKeyId + ", which is not among the webhook keys given to AccountsBuilder.webhooks ("
                    + String.join(", ", byId.keySet()) + ")"));
        }
        return new String(key.open(AAD, sealed), StandardCharsets.UTF_8);
    }
}
