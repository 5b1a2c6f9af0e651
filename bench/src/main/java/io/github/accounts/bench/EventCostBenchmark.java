package io.github.accounts.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import jakarta.persistence.EntityManagerFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an account event costs sign-in and refresh, from the statements it adds, next to the flows themselves in the
 * same JVM. A sign-in's event is an insert in the transaction that reserves the attempt and an update in the one that
 * writes the session ({@link #signInEventWrites}, each alone in a transaction, less {@link #twoEmptyTransactions}); a
 * refresh that rotates writes none, and one that catches a reused token writes one insert ({@link #eventInsert} less
 * {@link #emptyTransaction}). The flows run at cheap hashing, so the share is of their database work rather than of
 * Argon2id (at the shipped parameters {@link SignInBenchmark} is some 25 ms more). Goal: under 10% of each.
 *
 * <p>Beside the time, each method reports the CPU time of the calling thread ({@link Cpu}): on a machine other work
 * keeps busy, wall time mostly measures waiting for a core, CPU time much less so. On H2 it is all the work but a
 * sign-in's hash (on a hashing thread, so the sign-in's share is if anything overstated); on PostgreSQL it leaves
 * out the server's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EventCostBenchmark {
    static {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private static final String PASSWORD = "quartz-lantern-meadow-orbit-77";
    /** A browser's sizes of what every event stores about the client. */
    private static final ClientInfo CLIENT = new ClientInfo(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "203.0.113.7");

    @Param({"H2", "POSTGRES"})
    public TestDatabase database;

    private HikariDataSource dataSource;
    private EntityManagerFactory emf;
    private Accounts accounts;
    private Transactions tx;
    private EventLog events;
    private String email;
    private long userId;
    private long sessionId;
    private String updateToken;

    @Setup(Level.Trial)
    public void setUp() {
        dataSource = database.freshMigratedDataSource();
        emf = Accounts.entityManagerFactory(dataSource, Map.of());
        accounts = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET).housekeeping(false)
                .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)).build();
        // The event table as accounts writes it, through its own log: no listener, so no dispatch thread.
        tx = new Transactions(emf);
        events = new EventLog(tx, Clock.systemUTC(), Duration.ofDays(90), List.of(), 1);
        email = "events@example.com";
        SignedIn signedIn = accounts.signIns().signUp(new NewUser(email, "Bench", "Runner", PASSWORD), CLIENT);
        userId = signedIn.user().id();
        sessionId = signedIn.session().id();
        updateToken = accounts.signIns().signUp(new NewUser("event-refresh@example.com", "Bench", "Runner", PASSWORD), CLIENT)
                .session().updateToken();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        events.close();
        accounts.close();
        emf.close();
        dataSource.close();
    }

    /** A whole sign-in (past 100 sessions each one also evicts the oldest, as in {@link SignInBenchmark}). */
    @Benchmark
    public SignedIn signIn(Cpu cpu) {
        long start = cpu.start();
        SignedIn signedIn = accounts.signIns().signIn(email, PASSWORD, CLIENT);
        cpu.stop(start);
        return signedIn;
    }

    /** A whole refresh that rotates, one chain. */
    @Benchmark
    public IssuedSession refresh(Cpu cpu) {
        long start = cpu.start();
        IssuedSession next = accounts.sessions().refresh(updateToken);
        cpu.stop(start);
        updateToken = next.updateToken();
        return next;
    }

    /** A sign-in's event: recorded as failed with the reservation, settled as signed in with the session. */
    @Benchmark
    public AccountEvent signInEventWrites(Cpu cpu) {
        long start = cpu.start();
        AccountEvent pending = tx.inTransaction(em -> events.recordUnpublished(em, userId,
                AccountEvent.SIGN_IN_FAILED, null, CLIENT, Map.of()));
        tx.inTransaction(em -> {
            events.settle(em, pending, AccountEvent.SIGNED_IN, sessionId);
            return null;
        });
        cpu.stop(start);
        return pending;
    }

    /** The two transactions of {@link #signInEventWrites} without their statements. */
    @Benchmark
    public Object twoEmptyTransactions(Cpu cpu) {
        long start = cpu.start();
        tx.inTransaction(em -> null);
        Object none = tx.inTransaction(em -> null);
        cpu.stop(start);
        return none;
    }

    /** One event recorded, as a refresh that revokes a reused token's session records one. */
    @Benchmark
    public AccountEvent eventInsert(Cpu cpu) {
        long start = cpu.start();
        AccountEvent event = tx.inTransaction(em -> events.record(em, userId, AccountEvent.SESSION_REVOKED,
                sessionId, CLIENT, Map.of("reason", "token_reuse")));
        cpu.stop(start);
        return event;
    }

    /** The transaction of {@link #eventInsert} without its statement. */
    @Benchmark
    public Object emptyTransaction(Cpu cpu) {
        long start = cpu.start();
        Object none = tx.inTransaction(em -> null);
        cpu.stop(start);
        return none;
    }

    /**
     * The calling thread's CPU time over the calls of an iteration, reported by JMH as {@code cpuNanos} and
     * {@code calls} beside each score; their quotient is the CPU time per call.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long cpuNanos;
        public long calls;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            calls = 0;
        }

        long start() {
            return THREADS.getCurrentThreadCpuTime();
        }

        void stop(long start) {
            cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
            calls++;
        }
    }
}
