package io.github.accounts.core.mfa;

import io.github.accounts.core.AccountsException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's keys for second factors: the current one seals new TOTP secrets (AES-256-GCM, the user id bound in as
 * associated data, so a sealed secret cannot be moved to another user) and keys new recovery-code digests
 * (HMAC-SHA256); older ones still open what they sealed, until it is next used and sealed again under the current
 * key. Each key is known by its id, a fingerprint stored beside what it sealed. Thread-safe.
 */
public final class TotpKeys {
    /** The size of every key: 256 bits. */
    public static final int KEY_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** The current key and older ones still accepted; every array is copied and must be {@value #KEY_BYTES} bytes. */
    public TotpKeys(byte[] current, List<byte[]> older) {
        this.current = new Key(current);
        byId.put(this.current.id, this.current);
        for (byte[] key : older) {
            Key k = new Key(key);
            byId.putIfAbsent(k.id, k);
        }
    }

    /** A secret sealed under a key: the key's id and the IV with the ciphertext and tag, base64url. */
    public record Sealed(String keyId, String ciphertext) {
    }

    /** Seals a TOTP secret of {@code userId} under the current key. */
    public Sealed seal(long userId, byte[] secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] out = crypt(Cipher.ENCRYPT_MODE, current, iv, userId, secret);
        return new Sealed(current.id, BASE64URL.encodeToString(ByteBuffer.allocate(IV_BYTES + out.length)
                .put(iv).put(out).array()));
    }

    /** Opens what {@link #seal} sealed for {@code userId}; a key id not given or a forged ciphertext is a fault. */
    public byte[] open(long userId, Sealed sealed) {
        Key key = byId.get(sealed.keyId());
        if (key == null) {
            throw AccountsException.internal(new IllegalStateException("A TOTP secret is sealed under key "
                    + sealed.keyId() + ", which is not among the keys given to AccountsBuilder.totpKeys"));
        }
        byte[] all = BASE64URL_DECODER.decode(sealed.ciphertext());
        byte[] iv = Arrays.copyOf(all, IV_BYTES);
        byte[] body = Arrays.copyOfRange(all, IV_BYTES, all.length);
        return crypt(Cipher.DECRYPT_MODE, key, iv, userId, body);
    }

    /** Whether a secret sealed under {@code keyId} should be sealed again under the current key. */
    public boolean isOlder(String keyId) {
        return !current.id.equals(keyId);
    }

    /** The digest a new recovery code of {@code userId} is stored as, under the current key. */
    public String recoveryDigest(long userId, String normalisedCode) {
        return current.recoveryDigest(userId, normalisedCode);
    }

    /** The digests {@code normalisedCode} may be stored as, one per key (the current one first). */
    public List<String> recoveryDigests(long userId, String normalisedCode) {
        List<String> out = new ArrayList<>(byId.size());
        byId.values().forEach(k -> out.add(k.recoveryDigest(userId, normalisedCode)));
        return out;
    }

    private static byte[] crypt(int mode, Key key, byte[] iv, long userId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key.aes, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(("accounts-totp:" + userId).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw AccountsException.internal(e); // a tampered or mis-keyed secret: never an answer to a client
        }
    }

    /** One key, split by purpose into an AES key and an HMAC key, with its fingerprint id. */
    private static final class Key {
        final String id;
        final SecretKeySpec aes;
        final SecretKeySpec mac;

        Key(byte[] master) {
            if (master == null || master.length != KEY_BYTES) {
                throw new IllegalArgumentException("A TOTP key must be " + KEY_BYTES + " bytes, was "
                        + (master == null ? "null" : master.length + " bytes"));
            }
            SecretKeySpec m = new SecretKeySpec(master.clone(), "HmacSHA256");
            this.id = BASE64URL.encodeToString(Arrays.copyOf(hmac(m, "key-id"), 12));
            this.aes = new SecretKeySpec(hmac(m, "totp-secret"), "AES");
            this.mac = new SecretKeySpec(hmac(m, "recovery-code"), "HmacSHA256");
        }

        String recoveryDigest(long userId, String normalisedCode) {
            return BASE64URL.encodeToString(hmac(mac, userId + ":" + normalisedCode));
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
}
