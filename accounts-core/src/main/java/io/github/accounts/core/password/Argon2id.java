package io.github.accounts.core.password;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Argon2id (RFC 9106, version 0x13) computed by Bouncy Castle, in the PHC string format that libargon2, password4j
 * and most other libraries read and write: {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with unpadded
 * standard base64. Bouncy Castle rather than password4j because it allocates about a fifth of the memory per hash
 * (about 21 MB against 100 MB at m=19456) and runs faster for the same bytes; digests written by either verify
 * with the other. Lanes are computed one after another, so parallelism above 1 costs time rather than threads.
 */
final class Argon2id {
    private static final String PREFIX = "$argon2id$v=19$";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();
    private final Cost cost;
    /**
     * The memory blocks of finished computations, kept for the next ones: without them every hash allocates m KiB
     * in some twenty thousand objects, and the garbage collector's copying of those still in use was the largest
     * cost of sign-in after Argon2 itself. Shared by all threads, most recently used first, rather than one set per
     * thread (issue 33): a set is made only when every kept one is in use, so there are as many as computations
     * ever overlapped (at most the hasher's threads), and one at idle after hashes one at a time (19 MiB less idle
     * RSS than two thread-local sets at the shipped cost).
     */
    private final Deque<Argon2BytesGenerator.BlockPool> blocks = new ConcurrentLinkedDeque<>();
    private final int blockCount;
    private final AtomicInteger blockSetsMade = new AtomicInteger();

    Argon2id(Cost cost) {
        this.cost = cost;
        this.blockCount = Argon2BytesGenerator.getBlockCount(cost.memoryKib(), cost.parallelism());
    }

    /** How many sets of memory blocks this instance has made, for tests. */
    int blockSetsMade() {
        return blockSetsMade.get();
    }

    /** A new salted digest of {@code password} at this instance's cost. */
    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = compute(password, salt, cost, HASH_BYTES);
        return PREFIX + cost.phc() + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** Whether {@code digest} was written at this instance's cost (and hash length), so needs no re-hash. */
    boolean isCurrent(Parsed digest) {
        return digest.cost.equals(cost) && digest.hash.length == HASH_BYTES;
    }

    /** Whether {@code password} is the one {@code digest} was made from, compared in constant time. */
    boolean matches(String password, Parsed digest) {
        byte[] computed = compute(password, digest.salt, digest.cost, digest.hash.length);
        return MessageDigest.isEqual(digest.hash, computed);
    }

    /**
     * Reads an Argon2id digest in PHC format, or answers null for anything else (another algorithm, an older
     * Argon2 version, a malformed string). Costs outside RFC 9106's bounds are refused rather than computed.
     */
    static Parsed parse(String digest) {
        if (!digest.startsWith(PREFIX)) {
            return null;
        }
        String[] parts = digest.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            Cost cost = Cost.parse(parts[0]);
            byte[] salt = DECODER.decode(parts[1]);
            byte[] hash = DECODER.decode(parts[2]);
            boolean sane = cost != null && salt.length >= 8 && hash.length >= 4 && hash.length <= 1024;
            return sane ? new Parsed(cost, salt, hash) : null;
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** Argon2 with a kept set of blocks, or a new one when all are in use; the set is kept again afterwards. */
    private byte[] compute(String password, byte[] salt, Cost cost, int length) {
        Argon2BytesGenerator.BlockPool pool = blocks.pollFirst();
        if (pool == null) {
            blockSetsMade.incrementAndGet();
            pool = new Argon2BytesGenerator.FixedBlockPool(blockCount);
        }
        try {
            return compute(password, salt, cost, length, pool);
        } finally {
            blocks.offerFirst(pool);
        }
    }

    private static byte[] compute(String password, byte[] salt, Cost cost, int length,
                                  Argon2BytesGenerator.BlockPool pool) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .withBlockPool(pool)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    /** Argon2's cost parameters: memory in KiB, passes over it, and lanes. */
    record Cost(int memoryKib, int iterations, int parallelism) {
        /** The {@code m=..,t=..,p=..} segment of a PHC string. */
        String phc() {
            return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
        }

        static Cost parse(String phc) {
            String[] fields = phc.split(",", -1);
            if (fields.length != 3 || !fields[0].startsWith("m=") || !fields[1].startsWith("t=")
                    || !fields[2].startsWith("p=")) {
                return null;
            }
            int m = Integer.parseInt(fields[0].substring(2));
            int t = Integer.parseInt(fields[1].substring(2));
            int p = Integer.parseInt(fields[2].substring(2));
            boolean inBounds = p >= 1 && p <= 0xFFFFFF && t >= 1 && m >= 8 * p;
            return inBounds ? new Cost(m, t, p) : null;
        }
    }

    /** A digest read from its PHC string. */
    record Parsed(Cost cost, byte[] salt, byte[] hash) {
    }
}
