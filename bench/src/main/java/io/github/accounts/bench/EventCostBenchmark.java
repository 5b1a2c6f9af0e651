package io.github.accounts.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsConfig;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.IssuedSession;
import io.github.accounts.core.NewUser;
import io.github.accounts.core.SignedIn;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import jakarta.persistence.EntityManagerFactory;
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
        accounts = Accounts.builder(emf).housekeeping(false)
                .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)).build();
        // The event table as accounts writes it, through its own log: no listener, so no dispatch thread.
        tx = new Transactions(emf);
        events = new EventLog(tx, Clock.systemUTC(), Duration.ofDays(90), List.of(), 1);
        email = "events@example.com";
        SignedIn signedIn = accounts.signUp(new NewUser(email, "Bench", "Runner", PASSWORD), CLIENT);
        userId = signedIn.user().id();
        sessionId = signedIn.session().id();
        updateToken = accounts.signUp(new NewUser("event-refresh@example.com", "Bench", "Runner", PASSWORD), CLIENT)
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
    public SignedIn signIn() {
        return accounts.signIn(email, PASSWORD, CLIENT);
    }

    /** A whole refresh that rotates, one chain. */
    @Benchmark
    public IssuedSession refresh() {
        IssuedSession next = accounts.refresh(updateToken);
        updateToken = next.updateToken();
        return next;
    }

    /** A sign-in's event: recorded as failed with the reservation, settled as signed in with the session. */
    @Benchmark
    public AccountEvent signInEventWrites() {
        AccountEvent pending = tx.inTransaction(em -> events.recordUnpublished(em, userId,
                AccountEvent.SIGN_IN_FAILED, null, CLIENT, Map.of()));
        tx.inTransaction(em -> {
            events.settle(em, pending, AccountEvent.SIGNED_IN, sessionId);
            return null;
        });
        return pending;
    }

    /** The two transactions of {@link #signInEventWrites} without their statements. */
    @Benchmark
    public Object twoEmptyTransactions() {
        tx.inTransaction(em -> null);
        return tx.inTransaction(em -> null);
    }

    /** One event recorded, as a refresh that revokes a reused token's session records one. */
    @Benchmark
    public AccountEvent eventInsert() {
        return tx.inTransaction(em -> events.record(em, userId, AccountEvent.SESSION_REVOKED, sessionId, CLIENT,
                Map.of("reason", "token_reuse")));
    }

    /** The transaction of {@link #eventInsert} without its statement. */
    @Benchmark
    public Object emptyTransaction() {
        return tx.inTransaction(em -> null);
    }
}
