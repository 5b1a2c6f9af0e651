package io.github.accounts.core.config;

import io.github.accounts.core.ErrorCode;

/**
 * Argon2id cost ({@code memoryKib}, {@code iterations}, {@code parallelism}) and the bulkhead around it: at
 * most {@code threads} hashes run at once and at most {@code queue} wait; beyond that callers are told
 * {@link ErrorCode#OVERLOADED} instead of the process growing without bound (each hash holds
 * {@code memoryKib} of memory).
 */
public record HashingParams(int memoryKib, int iterations, int parallelism, int threads, int queue) {
    public HashingParams {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("Argon2 needs iterations >= 1, parallelism >= 1 and memoryKib >= 8 x parallelism, was m="
                    + memoryKib + " t=" + iterations + " p=" + parallelism);
        }
        if (threads < 1 || queue < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and queue >= 0, was " + threads + " and " + queue);
        }
    }

    /** OWASP's Argon2id minimum (m=19456 KiB, t=2, p=1) with one hashing thread per core and a queue of 32 per thread. */
    public static HashingParams owaspDefaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new HashingParams(19_456, 2, 1, cores, 32 * cores);
    }
}
