package io.github.accounts.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A software passkey authenticator for tests: P-256 keys, {@code none} attestation, the CBOR written with Jackson's
 * CBOR generator. It answers WebAuthn Level 3 options JSON with what {@code credential.toJSON()} gives in a browser,
 * and keeps its passkeys (discoverable: each remembers its user handle) with their signature counters. The origin
 * it claims, the RP ID it hashes and the counter it reports can be set wrong on purpose. Not thread-safe.
 */
public final class SoftAuthenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    private static final int UP = 0x01;
    private static final int UV = 0x04;
    private static final int AT = 0x40;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Passkey> passkeys = new LinkedHashMap<>();
    public String origin;
    public String rpId;
    /** Whether its assertions report user verification (the UV flag), as a passkey with a PIN or biometrics does. */
    public boolean userVerifies = true;

    /** One passkey it holds: its id, key pair, user handle and the counter its next signature reports. */
    public static final class Passkey {
        public final byte[] credentialId;
        final KeyPair keys;
        public byte[] userHandle;
        public long counter;

        Passkey(byte[] credentialId, KeyPair keys, byte[] userHandle, long counter) {
            this.credentialId = credentialId;
            this.keys = keys;
            this.userHandle = userHandle;
            this.counter = counter;
        }

        public String id() {
            return B64.encodeToString(credentialId);
        }
    }

    /** An authenticator that speaks from {@code origin} for {@code rpId}. */
    public SoftAuthenticator(String origin, String rpId) {
        this.origin = origin;
        this.rpId = rpId;
    }

    /** The passkey made last. */
    public Passkey last() {
        return passkeys.values().stream().reduce((a, b) -> b).orElseThrow();
    }

    /**
     * Answers creation options ({@code PublicKeyCredentialCreationOptionsJSON}) with a new passkey, as
     * {@code credential.toJSON()}; it reports counter 0, and 1 at its first assertion.
     */
    public String register(String optionsJson) {
        byte[] handle = B64_DECODE.decode(read(optionsJson).path("user").path("id").asText());
        Passkey passkey = new Passkey(bytes(32), p256(), handle, 1);
        passkeys.put(passkey.id(), passkey);
        return attest(passkey, optionsJson);
    }

    /** Answers creation options with a passkey this authenticator made already (a second registration of it). */
    public String attest(Passkey passkey, String optionsJson) {
        JsonNode options = read(optionsJson);
        byte[] credentialId = passkey.credentialId;
        byte[] clientData = clientData("webauthn.create", options.path("challenge").asText());
        ByteBuffer attested = ByteBuffer.allocate(16 + 2 + credentialId.length);
        attested.put(new byte[16]).putShort((short) credentialId.length).put(credentialId);
        byte[] authData = concat(authData(UP | UV | AT, 0), attested.array(),
                coseKey((ECPublicKey) passkey.keys.getPublic()));
        byte[] attestation = cbor(gen -> {
            gen.writeStartObject(3);
            gen.writeStringField("fmt", "none");
            gen.writeFieldName("attStmt");
            gen.writeStartObject(0);
            gen.writeEndObject();
            gen.writeFieldName("authData");
            gen.writeBinary(authData);
            gen.writeEndObject();
        });
        ObjectNode response = JSON.createObjectNode().put("clientDataJSON", B64.encodeToString(clientData))
                .put("attestationObject", B64.encodeToString(attestation));
        response.putArray("transports").add("internal");
        return credential(credentialId, response);
    }

    /** Answers request options ({@code PublicKeyCredentialRequestOptionsJSON}) with the last passkey. */
    public String assertion(String optionsJson) {
        return assertion(last(), optionsJson);
    }

    /** Answers request options with {@code passkey}, reporting its counter and then counting it up. */
    public String assertion(Passkey passkey, String optionsJson) {
        JsonNode options = read(optionsJson);
        byte[] clientData = clientData("webauthn.get", options.path("challenge").asText());
        byte[] authData = authData(userVerifies ? UP | UV : UP, passkey.counter++);
        byte[] signature;
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(passkey.keys.getPrivate());
            ecdsa.update(concat(authData, sha256(clientData)));
            signature = ecdsa.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode response = JSON.createObjectNode().put("clientDataJSON", B64.encodeToString(clientData))
                .put("authenticatorData", B64.encodeToString(authData))
                .put("signature", B64.encodeToString(signature))
                .put("userHandle", B64.encodeToString(passkey.userHandle));
        return credential(passkey.credentialId, response);
    }

    private String credential(byte[] credentialId, ObjectNode response) {
        ObjectNode credential = JSON.createObjectNode().put("id", B64.encodeToString(credentialId))
                .put("rawId", B64.encodeToString(credentialId)).put("type", "public-key")
                .put("authenticatorAttachment", "platform");
        credential.set("response", response);
        credential.putObject("clientExtensionResults");
        return credential.toString();
    }

    private byte[] clientData(String type, String challenge) {
        ObjectNode data = JSON.createObjectNode().put("type", type).put("challenge", challenge).put("origin", origin)
                .put("crossOrigin", false);
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] authData(int flags, long counter) {
        return ByteBuffer.allocate(37).put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put((byte) flags)
                .putInt((int) counter).array();
    }

    /** The COSE_Key of a P-256 public key: kty EC2, alg ES256, crv P-256, x, y. */
    private static byte[] coseKey(ECPublicKey key) {
        return cbor(gen -> {
            gen.writeStartObject(5);
            gen.writeFieldId(1);
            gen.writeNumber(2);
            gen.writeFieldId(3);
            gen.writeNumber(-7);
            gen.writeFieldId(-1);
            gen.writeNumber(1);
            gen.writeFieldId(-2);
            gen.writeBinary(fixed32(key.getW().getAffineX()));
            gen.writeFieldId(-3);
            gen.writeBinary(fixed32(key.getW().getAffineY()));
            gen.writeEndObject();
        });
    }

    private static byte[] fixed32(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 32 - len, len);
        return out;
    }

    @FunctionalInterface
    private interface CborWriter {
        void write(CBORGenerator gen) throws IOException;
    }

    private static byte[] cbor(CborWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator gen = new CBORFactory().createGenerator(out)) {
            writer.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
