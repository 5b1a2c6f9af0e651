package io.github.accounts.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The one class of accounts that calls Micrometer. Every counter is registered up front with each of its outcomes
 * (sign-ins with each outcome for each method), so a rate can be taken from the first scrape on. Thread-safe.
 */
final class MicrometerMetrics extends Metrics {
    private static final String OUTCOME = "outcome";
    private static final String METHOD = "method";

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Map<SignInMethod, Map<SignInOutcome, Counter>> signIns = new EnumMap<>(SignInMethod.class);
    private final Map<SignUpOutcome, Counter> signUps;
    private final Map<RefreshOutcome, Counter> refreshes;
    private final Timer hashes;
    private final Timer verifications;
    private final Map<WebhookOutcome, Counter> webhookAttempts;
    private final Timer webhookLatency;
    private volatile double webhooksPending = Double.NaN;
    /** NaN until the first count: a gauge that says it does not know rather than 0. */
    private volatile double activeSessions = Double.NaN;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "null registry");
        for (SignInMethod method : SignInMethod.values()) {
            signIns.put(method, counters("accounts.sign_ins", "Sign-in attempts, by outcome and credential presented",
                    SignInOutcome.class, SignInOutcome::tag, Tags.of(METHOD, method.tag())));
        }
        this.signUps = counters("accounts.sign_ups", "Sign-up attempts, by outcome", SignUpOutcome.class,
                SignUpOutcome::tag, Tags.empty());
        this.refreshes = counters("accounts.refreshes", "Session refreshes, by outcome", RefreshOutcome.class,
                RefreshOutcome::tag, Tags.empty());
        this.hashes = timer("hash");
        this.verifications = timer("verify");
        this.webhookAttempts = counters("accounts.webhooks.attempts", "Webhook delivery attempts, by outcome",
                WebhookOutcome.class, WebhookOutcome::tag, Tags.empty());
        this.webhookLatency = keep(Timer.builder("accounts.webhooks.attempt")
                .description("One webhook delivery attempt: the URL check, the connection and the answer's status")
                .register(registry));
        keep(Gauge.builder("accounts.webhooks.pending", this, m -> m.webhooksPending)
                .description("Webhook deliveries still to be sent or retried, as counted at the last purge")
                .strongReference(true).register(registry));
        keep(Gauge.builder("accounts.sessions.active", this, m -> m.activeSessions)
                .description("Sessions whose session token works, as counted at the last purge of expired rows")
                .strongReference(true).register(registry));
    }

    @Override
    public void signIn(SignInMethod method, SignInOutcome outcome) {
        signIns.get(method).get(outcome).increment();
    }

    @Override
    public void signUp(SignUpOutcome outcome) {
        signUps.get(outcome).increment();
    }

    @Override
    public void refresh(RefreshOutcome outcome) {
        refreshes.get(outcome).increment();
    }

    @Override
    public void hashed(long nanos) {
        hashes.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void verified(long nanos) {
        verifications.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void hashQueue(IntSupplier depth) {
        keep(Gauge.builder("accounts.password.hash.queue", depth, IntSupplier::getAsInt)
                .description("Password hashes and verifications waiting for a hashing thread")
                .strongReference(true).register(registry));
    }

    @Override
    public void activeSessions(LongSupplier count) {
        activeSessions = count.getAsLong();
    }

    @Override
    public void webhookAttempt(WebhookOutcome outcome, long nanos) {
        webhookAttempts.get(outcome).increment();
        webhookLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void webhooksPending(LongSupplier count) {
        webhooksPending = count.getAsLong();
    }

    @Override
    public void close() {
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }

    private <E extends Enum<E>> Map<E, Counter> counters(String name, String description, Class<E> outcomes,
                                                         Function<E, String> tag, Tags others) {
        Map<E, Counter> counters = new EnumMap<>(outcomes);
        for (E outcome : outcomes.getEnumConstants()) {
            counters.put(outcome, keep(Counter.builder(name).description(description).tags(others)
                    .tag(OUTCOME, tag.apply(outcome)).register(registry)));
        }
        return counters;
    }

    private Timer timer(String operation) {
        return keep(Timer.builder("accounts.password.hash")
                .description("Argon2id work per password, on a hashing thread (the wait for one excluded)")
                .tag("operation", operation).register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        synchronized (meters) {
            meters.add(meter);
        }
        return meter;
    }
}
