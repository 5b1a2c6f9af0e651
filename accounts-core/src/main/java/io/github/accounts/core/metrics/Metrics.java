package io.github.accounts.core.metrics;

import io.github.accounts.core.AccountsException;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the flows tell about what they did. {@link #NONE} measures nothing, for hosts without a registry; the
 * instance {@link #micrometer} returns forwards to Micrometer. The flows call only this class, which calls no
 * Micrometer code itself, so Micrometer's classes load only once a host hands a registry over. Thread-safe.
 */
public class Metrics implements AutoCloseable {
    /** Measures nothing, and costs a method call that returns. */
    public static final Metrics NONE = new Metrics();

    Metrics() {
    }

    /** Registers accounts' meters in {@code registry}; {@link #close} removes them again. */
    public static Metrics micrometer(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }

    /**
     * Runs a sign-in (or its second step) that presents {@code method} and counts its outcome: success, a second
     * step asked for (when {@code secondStep} says so of the result), or its failure's
     * ({@link SignInOutcome#ofFailure}).
     */
    public final <T> T signIn(SignInMethod method, Supplier<T> attempt, Predicate<T> secondStep) {
        try {
            T signedIn = attempt.get();
            signIn(method, secondStep.test(signedIn) ? SignInOutcome.MFA_REQUIRED : SignInOutcome.SUCCESS);
            return signedIn;
        } catch (AccountsException e) {
            SignInOutcome outcome = SignInOutcome.ofFailure(e.code());
            if (outcome != null) {
                signIn(method, outcome);
            }
            throw e;
        }
    }

    /** Runs a sign-up and counts its outcome: success, or its failure's ({@link SignUpOutcome#ofFailure}). */
    public final <T> T signUp(Supplier<T> attempt) {
        try {
            T signedUp = attempt.get();
            signUp(SignUpOutcome.SUCCESS);
            return signedUp;
        } catch (AccountsException e) {
            SignUpOutcome outcome = SignUpOutcome.ofFailure(e.code());
            if (outcome != null) {
                signUp(outcome);
            }
            throw e;
        }
    }

    /** Counts one sign-in that presented {@code method}, with {@code outcome}. */
    public void signIn(SignInMethod method, SignInOutcome outcome) {
    }

    /** Counts one sign-up with {@code outcome}. */
    public void signUp(SignUpOutcome outcome) {
    }

    /** Counts one refresh with {@code outcome}. */
    public void refresh(RefreshOutcome outcome) {
    }

    /** Times one hash of a new password: the Argon2id work on a hashing thread, the wait for one excluded. */
    public void hashed(long nanos) {
    }

    /** Times one verification of a password against a digest, as {@link #hashed} does a hash. */
    public void verified(long nanos) {
    }

    /** Where the gauge of hashes waiting for a hashing thread reads its value, when the registry is scraped. */
    public void hashQueue(IntSupplier depth) {
    }

    /**
     * Takes a new count of the active sessions for its gauge, which shows the last count taken; {@code count} runs
     * only when something is measured, so hosts without a registry never pay for the query.
     */
    public void activeSessions(LongSupplier count) {
    }

    /** Counts one webhook delivery attempt with {@code outcome}, and times it (the check, the connection, the answer). */
    public void webhookAttempt(WebhookOutcome outcome, long nanos) {
    }

    /**
     * Takes a new count of the pending webhook deliveries for its gauge; {@code count} runs only when something is
     * measured.
     */
    public void webhooksPending(LongSupplier count) {
    }

    /** Removes the meters from the registry. */
    @Override
    public void close() {
    }
}
