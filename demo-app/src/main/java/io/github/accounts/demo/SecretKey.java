package io.github.accounts.demo;

import io.github.accounts.core.HostSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one secret of demo-app ({@code SECRET_KEY}) as the environment gives it: decoded, or kept in a file
 * (development, read on first use), or random (testing). accounts derives every purpose's key from it
 * ({@link HostSecret}). Thread-safe.
 */
final class SecretKey {
    static final int MIN_BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(SecretKey.class);
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64,}");
    private static final String FORMAT = "SECRET_KEY must be at least " + MIN_BYTES + " random bytes, written as 64 "
            + "or more hex characters or as base64 (standard or URL-safe); e.g. openssl rand -hex 32";

    private final Path file;
    private byte[] bytes;

    private SecretKey(byte[] bytes, Path file) {
        this.bytes = bytes;
        this.file = file;
    }

    /** A {@code SECRET_KEY} value: 64 or more hex characters are hex, anything else base64; at least 32 bytes. */
    static SecretKey decode(String value) {
        return new SecretKey(decodeBytes(value), null);
    }

    /** A new random key, for one run (testing). */
    static SecretKey random() {
        return new SecretKey(randomBytes(), null);
    }

    /**
     * The key kept in {@code file}, made there on first use if it does not exist yet (owner-only permissions), with
     * a warning naming the file either way: it is meant for development only.
     */
    static SecretKey keptIn(Path file) {
        return new SecretKey(null, file);
    }

    /** The host secret accounts derives its keys from: this key, with {@code previous} ones still accepted. */
    HostSecret withPrevious(List<SecretKey> previous) {
        return HostSecret.of(bytes(), previous.stream().map(SecretKey::bytes).toList());
    }

    /** The 32-byte key accounts derives for {@code purpose} (a {@link HostSecret} constant). */
    byte[] derive(String purpose) {
        return HostSecret.of(bytes(), List.of()).key(purpose);
    }

    private synchronized byte[] bytes() {
        if (bytes == null) {
            bytes = loadOrCreate(file);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return file == null ? "SecretKey[given]" : "SecretKey[kept in " + file + "]";
    }

    private static byte[] decodeBytes(String value) {
        String v = value.strip();
        byte[] decoded;
        try {
            if (HEX.matcher(v).matches()) {
                decoded = HexFormat.of().parseHex(v);
            } else if (v.indexOf('-') >= 0 || v.indexOf('_') >= 0) {
                decoded = Base64.getUrlDecoder().decode(v);
            } else {
                decoded = Base64.getDecoder().decode(v);
            }
        } catch (IllegalArgumentException e) {
            throw Failure.usage(FORMAT + " (it is neither)"); // never repeating the value: it is a secret
        }
        if (decoded.length < MIN_BYTES) {
            throw Failure.usage(FORMAT + " (it decodes to " + decoded.length + " bytes)");
        }
        return decoded;
    }

    private static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            log.warn("SECRET_KEY is not set: using the development key kept in {}; set SECRET_KEY in staging and "
                    + "production", file.toAbsolutePath().normalize());
            return decodeBytes(Files.readString(file));
        } catch (Failure e) {
            throw Failure.usage("The key file " + file + " is not a valid key: " + e.getMessage()
                    + "; delete it to have a new one made");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the development key in " + file, e);
        }
    }

    /**
     * Writes a new key to a private temporary file beside {@code file}, then links it into place: the link fails if
     * another process made the file first (then its key is used), and no reader ever sees a half-written file.
     */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temporary = posix
                ? Files.createTempFile(dir, "secret", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, "secret", ".tmp");
        try {
            Files.writeString(temporary, HexFormat.of().formatHex(randomBytes()) + "\n");
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException raced) {
            // another instance made it first: use theirs
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] randomBytes() {
        byte[] key = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
