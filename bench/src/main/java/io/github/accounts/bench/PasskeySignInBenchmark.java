package io.github.accounts.bench;

import io.github.accounts.core.testing.TestAccounts;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A passwordless passkey sign-in in process, next to a password sign-in of the same service at the shipped Argon2id
 * parameters: the options (a ceremony row), the assertion (signed by the test suite's software authenticator, a
 * P-256 signature that a real client pays instead), and the verification with its session. Without HTTP.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(1)
public class PasskeySignInBenchmark {
    static {
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private static final String EMAIL = "passkey-bench@example.com";
    private static final String PASSWORD = "quartz-lantern-meadow-orbit-77";

    @Param({"H2"})
    public TestDatabase database;

    private HikariDataSource dataSource;
    private EntityManagerFactory emf;
    private Accounts accounts;
    private SoftAuthenticator authenticator;

    @Setup(Level.Trial)
    public void setUp() {
        dataSource = database.freshMigratedDataSource();
        emf = Accounts.entityManagerFactory(dataSource, Map.of());
        accounts = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(AccountsConfig.originalDesign()).housekeeping(false)
                .passkeys(PasskeyConfig.of("bench.test", "bench", Set.of("https://bench.test"))).build();
        authenticator = new SoftAuthenticator("https://bench.test", "bench.test");
        SignedIn user = accounts.signIns().signUp(new NewUser(EMAIL, "Bench", "Runner", PASSWORD), ClientInfo.unknown());
        verifyEmail(user.user().id()); // adding a passkey needs a verified email, and a fresh proof:
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        accounts.reauthentication().withPassword(who, PASSWORD);
        PasskeyOptions add = accounts.passkeys().registrationOptions(who);
        accounts.passkeys().add(who, add.ceremonyId(), authenticator.register(add.optionsJson()), null,
                ClientInfo.unknown());
    }

    /** What confirming the mailed token does, without mail. */
    private void verifyEmail(long userId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement update = c.prepareStatement(
                     "update users set email_verified_at = created_at where id = ?")) {
            update.setLong(1, userId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        accounts.close();
        emf.close();
        dataSource.close();
    }

    @Benchmark
    public SignedIn passkeySignIn() {
        PasskeyOptions options = accounts.passkeys().signInOptions(ClientInfo.unknown());
        return accounts.passkeys().signIn(options.ceremonyId(), authenticator.assertion(options.optionsJson()),
                ClientInfo.unknown());
    }

    @Benchmark
    public SignedIn passwordSignIn() {
        return accounts.signIns().signIn(EMAIL, PASSWORD, ClientInfo.unknown());
    }
}
