package io.github.accounts.core.mfa;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.internal.SealingKey;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    public static final int KEY_BYTES = SealingKey.KEY_BYTES;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();

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
        return new Sealed(current.id, current.sealing.seal(aad(userId), secret));
    }

    /** Opens what {@link #seal} sealed for {@code userId}; a key id not given or a forged ciphertext is a fault. */
    public byte[] open(long userId, Sealed sealed) {
        Key key = byId.get(sealed.keyId());
        if (key == null) {
            throw AccountsException.internal(new IllegalStateException("A TOTP secret is sealed under key "
                    + sealed.keyId() + ", which is not among the keys given to AccountsBuilder.totpKeys"));
        }
        return key.sealing.open(aad(userId), sealed.ciphertext());
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

    /** The user id bound in, so that a sealed secret cannot be moved to another user. */
    private static byte[] aad(long userId) {
        return ("accounts-totp:" + userId).getBytes(StandardCharsets.UTF_8);
    }

    /** One key, split by purpose into a sealing key and an HMAC key, with its fingerprint id. */
    private static final class Key {
        final String id;
        final SealingKey sealing;
        final SecretKeySpec mac;

        Key(byte[] master) {
            this.sealing = new SealingKey(master, "A TOTP key", "totp-secret");
            this.id = sealing.id();
            this.mac = sealing.macKey("recovery-code");
        }

        String recoveryDigest(long userId, String normalisedCode) {
            return BASE64URL.encodeToString(SealingKey.hmac(mac, userId + ":" + normalisedCode));
        }
    }
}
