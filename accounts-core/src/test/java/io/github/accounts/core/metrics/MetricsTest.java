package io.github.accounts.core.metrics;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.MutableClock;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.user.NewUser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/** The meters of {@code AccountsBuilder.meterRegistry} move as the flows run, on H2 and PostgreSQL. */
@OnEachDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {
    @Parameter
    TestDatabase database;

    private final MutableClock clock = MutableClock.startingNow();
    private SimpleMeterRegistry registry;
    private HikariDataSource dataSource;
    private Accounts accounts;

    @BeforeParameterizedClassInvocation
    void start() {
        registry = new SimpleMeterRegistry();
        dataSource = database.freshMigratedDataSource();
        accounts = Accounts.builder(dataSource).clock(clock).housekeeping(false)
                .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING))
                .throttleSecret(TestAccounts.THROTTLE_SECRET).passkeys(TestAccounts.PASSKEYS)
                .totpKeys(TestAccounts.TOTP_KEY, List.of()).meterRegistry(registry).build();
    }

    @AfterParameterizedClassInvocation
    void stop() {
        accounts.close();
        dataSource.close();
    }

    @Test
    void signInsAreCountedByOutcome() {
        TestUser user = TestUsers.signUp(accounts, "metrics.sign-in");
        Counts before = new Counts();

        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "not the password at all",
                ClientInfo.unknown()));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn("nobody.metrics@example.com",
                "not the password at all", ClientInfo.unknown()));
        failsWith(ErrorCode.VALIDATION_FAILED, () -> accounts.signIns().signIn("", "", ClientInfo.unknown()));

        assertThat(before.moved("accounts.sign_ins", "success")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "invalid_credentials")).isEqualTo(2);
        assertThat(before.moved("accounts.sign_ins", "throttled")).isZero();
        assertThat(verifications() - before.verifications).isEqualTo(3); // the unknown email costs one too
    }

    @Test
    void throttledAndDisabledSignInsHaveOutcomesOfTheirOwn() {
        TestUser user = TestUsers.signUp(accounts, "metrics.throttled");
        TestUser operator = TestUsers.signUp(accounts, "metrics.operator");
        Counts before = new Counts();
        for (int i = 0; i < 5; i++) {
            failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "not the password at all",
                    ClientInfo.unknown()));
        }
        failsWith(ErrorCode.THROTTLED, () -> accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()));

        Authenticated actor = accounts.sessions().authenticate(operator.session().sessionToken());
        TestUser disabled = TestUsers.signUp(accounts, "metrics.disabled");
        accounts.operators().disableUser(actor, disabled.id(), null);
        failsWith(ErrorCode.ACCOUNT_DISABLED, () -> accounts.signIns().signIn(disabled.email(), disabled.password(),
                ClientInfo.unknown()));

        assertThat(before.moved("accounts.sign_ins", "invalid_credentials")).isEqualTo(5);
        assertThat(before.moved("accounts.sign_ins", "throttled")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "disabled")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "success")).isZero();
    }

    @Test
    void signInsAreCountedByTheCredentialTheyPresented() {
        TestUser user = TestUsers.signUp(accounts, "metrics.methods");
        DatabaseRows.update(dataSource, "update users set email_verified_at = created_at where id = ?", user.id());
        Authenticated me = TestUsers.reauthenticated(accounts, user);
        Authenticator app = new Authenticator(accounts.mfa().startTotp(me, user.password()).secret());
        clock.advance(Duration.ofSeconds(30));
        List<String> recoveryCodes = accounts.mfa().confirmTotp(me, app.code(clock)).recoveryCodes();
        SoftAuthenticator passkey = TestAccounts.authenticator();
        PasskeyOptions adding = accounts.passkeys().registrationOptions(me);
        accounts.passkeys().add(me, adding.ceremonyId(), passkey.register(adding.optionsJson()), null,
                ClientInfo.unknown());
        Counts before = new Counts();

        String totpStep = passwordStep(user);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(totpStep, app.code(clock, 10),
                ClientInfo.unknown()));
        clock.advance(Duration.ofSeconds(30));
        accounts.signIns().completeSignIn(totpStep, app.code(clock), ClientInfo.unknown());
        String recoveryStep = passwordStep(user);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignIn(recoveryStep, "aaaaa-aaaaa",
                ClientInfo.unknown()));
        accounts.signIns().completeSignIn(recoveryStep, recoveryCodes.get(0), ClientInfo.unknown());
        String passkeyStep = passwordStep(user);
        PasskeyOptions second = accounts.signIns().secondStepPasskeyOptions(passkeyStep);
        accounts.signIns().completeSignInWithPasskey(passkeyStep, second.ceremonyId(), passkey.assertion(second.optionsJson()),
                ClientInfo.unknown());
        PasskeyOptions alone = accounts.passkeys().signInOptions(ClientInfo.unknown());
        accounts.passkeys().signIn(alone.ceremonyId(), passkey.assertion(alone.optionsJson()), ClientInfo.unknown());
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "not the password at all",
                ClientInfo.unknown()));

        assertThat(before.moved("accounts.sign_ins", "mfa_required", "method", "password")).isEqualTo(3);
        assertThat(before.moved("accounts.sign_ins", "invalid_credentials", "method", "password")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "success", "method", "password")).isZero();
        assertThat(before.moved("accounts.sign_ins", "invalid_mfa_code", "method", "totp")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "success", "method", "totp")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "invalid_mfa_code", "method", "recovery_code")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "success", "method", "recovery_code")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ins", "success", "method", "passkey")).isEqualTo(2);
        assertThat(before.moved("accounts.sign_ins", "success")).isEqualTo(4);
    }

    /** The password step of {@code user}, who has TOTP on: the {@code mfa_token}. */
    private String passwordStep(TestUser user) {
        return accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown()).mfaRequired().mfaToken();
    }

    @Test
    void signUpsAreCountedByOutcomeAndEachNewPasswordIsTimed() {
        Counts before = new Counts();
        TestUser user = TestUsers.signUp(accounts, "metrics.sign-up");
        failsWith(ErrorCode.EMAIL_TAKEN, () -> accounts.signIns().signUp(new NewUser(user.email(), "Again", "Again",
                user.password()), ClientInfo.unknown()));
        failsWith(ErrorCode.VALIDATION_FAILED, () -> accounts.signIns().signUp(new NewUser("not an email", "A", "B",
                "short"), ClientInfo.unknown()));

        assertThat(before.moved("accounts.sign_ups", "success")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ups", "email_taken")).isEqualTo(1);
        assertThat(before.moved("accounts.sign_ups", "validation_failed")).isEqualTo(1);
        assertThat(hashes() - before.hashes).isEqualTo(1); // the taken email is refused before hashing
        assertThat(registry.get("accounts.password.hash").tag("operation", "hash").timer().totalTime(
                TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void refreshesAreCountedAsRotatedRefusedOrReuseRevoked() {
        TestUser user = TestUsers.signUp(accounts, "metrics.refresh");
        Counts before = new Counts();

        IssuedSession fresh = accounts.sessions().refresh(user.session().updateToken());
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken())); // grace
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh("garbage"));
        clock.advance(Duration.ofSeconds(31));
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(user.session().updateToken())); // theft
        failsWith(ErrorCode.INVALID_UPDATE_TOKEN, () -> accounts.sessions().refresh(fresh.updateToken())); // revoked with it

        assertThat(before.moved("accounts.refreshes", "rotated")).isEqualTo(1);
        assertThat(before.moved("accounts.refreshes", "refused")).isEqualTo(3);
        assertThat(before.moved("accounts.refreshes", "reuse_revoked")).isEqualTo(1);
    }

    @Test
    void activeSessionsAreCountedAtEachPurgeNotAtEachRead() {
        accounts.purgeExpired();
        double counted = activeSessions();
        assertThat(counted).isNotNaN();

        TestUsers.signUp(accounts, "metrics.active");
        assertThat(activeSessions()).isEqualTo(counted); // a read of the gauge queries nothing

        accounts.purgeExpired();
        assertThat(activeSessions()).isEqualTo(counted + 1);
    }

    @Test
    void theHashingQueueGaugeShowsNoWaitWhileIdle() {
        assertThat(registry.get("accounts.password.hash.queue").gauge().value()).isZero();
    }

    @Test
    void closingAccountsRemovesItsMetersFromTheRegistry() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (Accounts other = Accounts.builder(dataSource).throttleSecret(TestAccounts.THROTTLE_SECRET).housekeeping(false).meterRegistry(own).build()) {
            assertThat(own.getMeters()).extracting(m -> m.getId().getName()).contains("accounts.sign_ins",
                    "accounts.sign_ups", "accounts.refreshes", "accounts.password.hash",
                    "accounts.password.hash.queue", "accounts.sessions.active");
            assertThat(own.find("accounts.sign_ins").counters())
                    .hasSize(SignInOutcome.values().length * SignInMethod.values().length);
        }
        assertThat(own.getMeters()).isEmpty();
    }

    private long hashes() {
        return registry.get("accounts.password.hash").tag("operation", "hash").timer().count();
    }

    private long verifications() {
        return registry.get("accounts.password.hash").tag("operation", "verify").timer().count();
    }

    private double activeSessions() {
        return registry.get("accounts.sessions.active").gauge().value();
    }

    /** The values before a test's flows ran, since one registry serves all tests of a database. */
    private final class Counts {
        final long hashes = hashes();
        final long verifications = verifications();
        final Map<Meter.Id, Double> counters = registry.getMeters().stream()
                .filter(Counter.class::isInstance).map(Counter.class::cast).collect(Collectors.toMap(Counter::getId, Counter::count));

        /** How far the counters {@code name} with {@code outcome} (and {@code tags}, as key, value) moved since. */
        double moved(String name, String outcome, String... tags) {
            return registry.get(name).tag("outcome", outcome).tags(tags).counters().stream()
                    .mapToDouble(now -> now.count() - counters.get(now.getId())).sum();
        }
    }
}
