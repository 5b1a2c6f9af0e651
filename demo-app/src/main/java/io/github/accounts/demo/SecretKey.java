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
import java.util.HexFormat;
import java.util.List;

/**
 * The one secret of demo-app ({@code SECRET_KEY}) as the environment gives it: decoded, or kept in a file
 * (development, read on first use), or random (testing). accounts derives every purpose's key from it
 * ({@link HostSecret}). Thread-safe.
 */
final class SecretKey {
    private static final Logger log = LoggerFactory.getLogger(SecretKey.class);

    private final Path file;
    private String value;

    private SecretKey(String value, Path file) {
        this.value = value;
        this.file = file;
    }

    /** A {@code SECRET_KEY} value: 64 or more hex characters are hex, anything else base64; at least 32 bytes. */
    static SecretKey decode(String value) {
        return new SecretKey(checked(value), null);
    }

    /** A new random key, for one run (testing). */
    static SecretKey random() {
        byte[] key = new byte[HostSecret.MIN_BYTES];
        new SecureRandom().nextBytes(key);
        return new SecretKey(HexFormat.of().formatHex(key), null);
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
        return HostSecret.decode(value(), previous.stream().map(SecretKey::value).toArray(String[]::new));
    }

    /** The 32-byte key accounts derives for {@code purpose} (a {@link HostSecret} constant). */
    byte[] derive(String purpose) {
        return HostSecret.decode(value()).key(purpose);
    }

    private synchronized String value() {
        if (value == null) {
            value = loadOrCreate(file);
        }
        return value;
    }

    @Override
    public String toString() {
        return file == null ? "SecretKey[given]" : "SecretKey[kept in " + file + "]";
    }

    /** {@code value} once {@link HostSecret} decodes it; a refusal (never repeating the value) names SECRET_KEY. */
    private static String checked(String value) {
        try {
            HostSecret.decode(value);
        } catch (IllegalArgumentException e) {
            throw Failure.usage(e.getMessage().replace("The host secret", "SECRET_KEY"));
        }
        return value.strip();
    }

    private static String loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            log.warn("SECRET_KEY is not set: using the development key kept in {}; set SECRET_KEY in staging and "
                    + "production", file.toAbsolutePath().normalize());
            return checked(Files.readString(file));
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
            Files.writeString(temporary, random().value + "\n");
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException raced) {
            // another instance made it first: use theirs
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
