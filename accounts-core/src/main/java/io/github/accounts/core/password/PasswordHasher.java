package io.github.accounts.core.password;

import com.password4j.Argon2Function;
import com.password4j.BcryptFunction;
import com.password4j.HashingFunction;
import com.password4j.Password;
import com.password4j.ScryptFunction;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.metrics.Metrics;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Argon2id hashing ({@link Argon2id}, through Bouncy Castle) behind a bulkhead: a fixed number of hashing threads
 * and a bounded number of waiting callers, so memory stays bounded under a flood and callers beyond that get
 * {@link ErrorCode#OVERLOADED}. Admission is a semaphore of {@code threads + queue} permits held for the whole call
 * rather than the executor's own queue, so a caller arriving just as a hashing thread finishes is never refused for
 * a thread that is merely on its way back. Verifies Argon2id digests at any cost, and through password4j the legacy
 * digests it reads (bcrypt, scrypt, Argon2i and Argon2d), and says when one should be re-hashed. Every failure is
 * an {@link AccountsException} ({@code internal_error} for a fault of the hash itself). Thread-safe.
 */
public final class PasswordHasher implements AutoCloseable {
    private static final int WARM_UP_ROUNDS = 30;

    private final Argon2id current;
    private final ThreadPoolExecutor pool;
    private final Semaphore admission;
    /** The digest unknown emails are checked against, so they cost what a wrong password costs; made once. */
    private volatile String dummyDigest;
    private final AtomicLong verifications = new AtomicLong();
    private final Metrics metrics;

    public PasswordHasher(HashingParams params) {
        this(params, Metrics.NONE);
    }

    /** A hasher that times its hashes and verifications and shows its queue through {@code metrics}. */
    public PasswordHasher(HashingParams params, Metrics metrics) {
        this.metrics = metrics;
        this.current = new Argon2id(new Argon2id.Cost(params.memoryKib(), params.iterations(), params.parallelism()));
        this.admission = new Semaphore(params.threads() + params.queue());
        AtomicInteger n = new AtomicInteger();
        // Unbounded only in type: admission lets at most threads + queue callers in.
        this.pool = new ThreadPoolExecutor(params.threads(), params.threads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "accounts-hasher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        metrics.hashQueue(pool.getQueue()::size);
    }

    /** Hashes a new password with the current parameters; a self-describing string. */
    public String hash(String password) {
        return run(() -> {
            long start = System.nanoTime();
            String digest = current.hash(password);
            metrics.hashed(System.nanoTime() - start);
            return digest;
        });
    }

    /** Checks a password against a stored digest of any supported algorithm. */
    public Verification verify(String password, String digest) {
        return run(() -> {
            verifications.incrementAndGet();
            long start = System.nanoTime();
            Verification verification = check(password, digest);
            metrics.verified(System.nanoTime() - start);
            return verification;
        });
    }

    private Verification check(String password, String digest) {
        Argon2id.Parsed argon2id = Argon2id.parse(digest);
        if (argon2id != null) {
            boolean matches = current.matches(password, argon2id);
            return new Verification(matches, matches && !current.isCurrent(argon2id));
        }
        HashingFunction legacy = legacyFunctionOf(digest);
        boolean matches = legacy != null && Password.check(password, digest).with(legacy);
        return new Verification(matches, matches);
    }

    /**
     * Does the work of a verification for an unknown user, so the answer takes as long as a real one. The dummy
     * digest it checks against is made by {@link #warmUp()}, or else by the first call, which then costs one
     * hash more, once. Never matches.
     */
    public Verification verifyAgainstNobody(String password) {
        verify(password, dummyDigest());
        return new Verification(false, false);
    }

    /** How many verifications have run since start, for metrics and for tests of equal work. */
    public long verifications() {
        return verifications.get();
    }

    /**
     * Makes the dummy digest and then runs some hashes, so the JIT has compiled Argon2 before the first users
     * arrive (measured here: ~90 ms for a first hash in a fresh JVM, ~25 ms warm). Returns when done, or at once
     * when real traffic keeps the hashing threads busy. Runs on one hashing thread at a time.
     */
    public void warmUp() {
        try {
            dummyDigest();
            for (int i = 0; i < WARM_UP_ROUNDS && !pool.isShutdown(); i++) {
                String round = "warm-up-" + i;
                run(() -> current.hash(round)); // untimed: no user waited for it
            }
        } catch (AccountsException busy) {
            // real traffic is warming it up already
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Made on first need; two first callers at once may both make one, and either serves. */
    private String dummyDigest() {
        String digest = dummyDigest;
        if (digest == null) {
            String random = UUID.randomUUID().toString();
            digest = run(() -> current.hash(random)); // untimed, like the warm-up
            dummyDigest = digest;
        }
        return digest;
    }

    private <T> T run(Callable<T> work) {
        if (Thread.currentThread().isInterrupted()) {
            // A caller told to stop starts no hash (and a hash that finished at once would hide the interrupt).
            throw AccountsException.internal(new InterruptedException("interrupted before hashing"));
        }
        if (!admission.tryAcquire()) {
            throw overloaded();
        }
        try {
            return await(submit(work));
        } finally {
            admission.release();
        }
    }

    private <T> Future<T> submit(Callable<T> work) {
        try {
            return pool.submit(work);
        } catch (RejectedExecutionException closed) {
            throw overloaded();
        }
    }

    private static AccountsException overloaded() {
        return AccountsException.retryLater(ErrorCode.OVERLOADED,
                "Too many sign-ins are being processed; try again in a moment.", Duration.ofSeconds(1));
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw AccountsException.internal(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AccountsException ae ? ae : AccountsException.internal(e.getCause());
        }
    }

    /** The password4j function that reads a legacy {@code digest}, or null for a digest it cannot read. */
    private static HashingFunction legacyFunctionOf(String digest) {
        try {
            if (digest.startsWith("$argon2")) {
                return Argon2Function.getInstanceFromHash(digest);
            }
            if (digest.startsWith("$2")) {
                return BcryptFunction.getInstanceFromHash(digest);
            }
            if (digest.startsWith("$")) {
                return ScryptFunction.getInstanceFromHash(digest);
            }
        } catch (RuntimeException unreadable) {
            return null;
        }
        return null;
    }

    /** The outcome of a verification: whether it matched, and whether the digest should be replaced. */
    public record Verification(boolean matches, boolean needsRehash) {
    }
}
