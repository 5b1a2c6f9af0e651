package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Webhook signing secrets sealed at rest (AES-256-GCM under a key derived from the host's webhook key), since the
 * signer must read them back; the key's fingerprint is stored beside each, so a wrong key is a clear fault rather
 * than garbage. New secrets are 32 random bytes, shown as {@code whsec_} and their base64. Thread-safe.
 */
final class SecretBox {
    static final int KEY_BYTES = 32;
    static final String PREFIX = "whsec_";
    private static final int IV_BYTES = 12;
    private static final byte[] AAD = "accounts-webhook-secret".getBytes(StandardCharsets.UTF_8);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String keyId;
    private final SecretKeySpec aes;
    private final SecureRandom random = new SecureRandom();

    SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("The webhook key must be " + KEY_BYTES + " bytes, was "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        SecretKeySpec master = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.keyId = BASE64URL.encodeToString(Arrays.copyOf(hmac(master, "key-id"), 12));
        this.aes = new SecretKeySpec(hmac(master, "webhook-secret"), "AES");
    }

    /** A new secret in its shown form. */
    String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    String keyId() {
        return keyId;
    }

    /** The IV and ciphertext of {@code secret}, base64url. */
    String seal(String secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] out = crypt(Cipher.ENCRYPT_MODE, iv, secret.getBytes(StandardCharsets.UTF_8));
        return BASE64URL.encodeToString(ByteBuffer.allocate(IV_BYTES + out.length).put(iv).put(out).array());
    }

    /** What {@link #seal} sealed under {@code sealedKeyId}; another key's or a forged one is a fault. */
    String open(String sealedKeyId, String sealed) {
        if (!keyId.equals(sealedKeyId)) {
            throw AccountsException.internal(new IllegalStateException("A webhook secret is sealed under key "
                    + sealedKeyId + ", not the webhook key given to AccountsBuilder.webhooks (" + keyId + ")"));
        }
        byte[] all = Base64.getUrlDecoder().decode(sealed);
        byte[] plain = crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(all, IV_BYTES),
                Arrays.copyOfRange(all, IV_BYTES, all.length));
        return new String(plain, StandardCharsets.UTF_8);
    }

    private byte[] crypt(int mode, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, aes, new GCMParameterSpec(128, iv));
            cipher.updateAAD(AAD);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw AccountsException.internal(e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
        }
    }
}
