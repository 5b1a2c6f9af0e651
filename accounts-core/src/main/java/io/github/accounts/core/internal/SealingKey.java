package io.github.accounts.core.internal;

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
 * One of the host's 32-byte keys, split by purpose (each purpose's key is HMAC-SHA256 of the purpose's name under it)
 * and known by its id, a fingerprint stored beside what it sealed. It seals with AES-256-GCM, a 12-byte random IV and
 * a 128-bit tag under the caller's associated data, as base64url of the IV, ciphertext and tag. Shared by the TOTP
 * and webhook secrets; not API. Thread-safe.
 */
public final class SealingKey {
    /** The size of every key: 256 bits. */
    public static final int KEY_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String id;
    private final SecretKeySpec aes;
    private final SecretKeySpec master;
    private final SecureRandom random = new SecureRandom();

    /**
     * {@code key} (copied; {@code name}, such as "A TOTP key", starts the message when its size is wrong) sealing
     * under the subkey of {@code purpose}.
     */
    public SealingKey(byte[] key, String name, String purpose) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException(name + " must be " + KEY_BYTES + " bytes, was "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        this.master = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.id = BASE64URL.encodeToString(Arrays.copyOf(hmac(master, "key-id"), 12));
        this.aes = new SecretKeySpec(hmac(master, purpose), "AES");
    }

    /** The key's fingerprint: base64url of the first 12 bytes of HMAC-SHA256(key, "key-id"). */
    public String id() {
        return id;
    }

    /** The HMAC-SHA256 key of another {@code purpose}, derived like the sealing one. */
    public SecretKeySpec macKey(String purpose) {
        return new SecretKeySpec(hmac(master, purpose), "HmacSHA256");
    }

    /** {@code plain} sealed under {@code aad}: base64url of IV, ciphertext and tag. */
    public String seal(byte[] aad, byte[] plain) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] out = crypt(Cipher.ENCRYPT_MODE, iv, aad, plain);
        return BASE64URL.encodeToString(ByteBuffer.allocate(IV_BYTES + out.length).put(iv).put(out).array());
    }

    /** What {@link #seal} sealed under {@code aad}; a forged, moved or mis-keyed one is a fault (never a client's). */
    public byte[] open(byte[] aad, String sealed) {
        byte[] all = Base64.getUrlDecoder().decode(sealed);
        return crypt(Cipher.DECRYPT_MODE, Arrays.copyOf(all, IV_BYTES), aad,
                Arrays.copyOfRange(all, IV_BYTES, all.length));
    }

    /** HMAC-SHA256 of {@code message} (UTF-8) under {@code key}. */
    public static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
        }
    }

    private byte[] crypt(int mode, byte[] iv, byte[] aad, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, aes, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw AccountsException.internal(e);
        }
    }
}
