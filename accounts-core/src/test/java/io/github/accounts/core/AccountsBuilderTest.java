package io.github.accounts.core;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.webhook.WebhookPolicy;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building the service: misuse fails fast with a sentence, and the defaults are the documented ones. */
class AccountsBuilderTest {

    @Test
    void builderRefusesMissingParts() {
        assertThatThrownBy(() -> Accounts.builder((EntityManagerFactory) null))
                .isInstanceOf(NullPointerException.class).hasMessage("null emf");
        assertThatThrownBy(() -> Accounts.builder((DataSource) null))
                .isInstanceOf(NullPointerException.class).hasMessage("null dataSource");
        assertThatThrownBy(() -> Accounts.entityManagerFactory(null, Map.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("null dataSource");
    }

    @Test
    void builderDefaultsToTheOriginalDesignAndRefusesNulls() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            AccountsBuilder builder = Accounts.builder(t.emf);
            assertThatThrownBy(() -> builder.config(null)).hasMessage("null config");
            assertThatThrownBy(() -> builder.clock(null)).hasMessage("null clock");
            assertThatThrownBy(() -> builder.mailer(null)).hasMessage("null mailer");
            assertThatThrownBy(() -> builder.throttleSecret(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The throttle secret must be at least 32 bytes, was 16 bytes");
            try (Accounts defaults = builder.developmentKeys().build()) {
                assertThat(defaults.config()).isEqualTo(AccountsConfig.originalDesign());
            }
        }
    }

    @Test
    void entityClassesAndChangelogAreWhereTheJavadocSays() {
        assertThat(Accounts.entityClasses()).hasSize(7);
        assertThat(Accounts.class.getClassLoader().getResource(Accounts.CHANGELOG)).isNotNull();
    }

    @Test
    void withoutASecretBuildRefusesInOneLineNamingWhatIsMissing() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            assertThatThrownBy(() -> Accounts.builder(t.emf).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("No host secret").hasMessageContaining("AccountsBuilder.secret(")
                    .hasMessageContaining("developmentKeys()")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void developmentKeysAreAskedForAndWarnAtEachStart() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            String log = stderrOf(() -> {
                Accounts.builder(t.emf).developmentKeys().build().close();
                Accounts.builder(t.emf).developmentKeys().build().close();
            });
            assertThat(log.split("throw-away development keys", -1).length - 1).isEqualTo(2);
        }
    }

    @Test
    void aSecretAloneGivesThrottlingTotpAndWebhooksTheirKeys() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2);
             Accounts accounts = Accounts.builder(t.emf).secret(TestAccounts.SECRET)
                     .webhooks(WebhookPolicy.allowingPrivateNetworks()).build()) {
            assertThat(accounts.secret()).contains(TestAccounts.SECRET);
            assertThat(accounts.mfa().available()).isTrue();
            assertThat(accounts.webhooks().list()).isEmpty(); // not_found without a webhook key
            assertThat(accounts.signIns().signUp(new NewUser("one.secret@example.com", "One", "Secret",
                    "a long and unusual passphrase"), ClientInfo.unknown()).session()).isNotNull();
        }
    }

    @Test
    void overADataSourceItBuildsItsOwnFactoryAndClosesIt() {
        try (HikariDataSource ds = TestDatabase.H2.freshMigratedDataSource()) {
            Accounts accounts = Accounts.builder(ds).throttleSecret(TestAccounts.THROTTLE_SECRET).build();
            SignedIn alice = accounts.signIns().signUp(new NewUser("own.factory@example.com", "Alice", "Liddell",
                    "a long and unusual passphrase"), ClientInfo.unknown());
            assertThat(accounts.sessions().authenticate(alice.session().sessionToken()).userId()).isEqualTo(alice.user().id());
            EntityManagerFactory own = accounts.entityManagerFactory();

            accounts.close();

            assertThat(own.isOpen()).isFalse();
        }
    }

    @Test
    void aFactoryOfTheHostsStaysOpenAfterClose() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).build().close();
            assertThat(t.emf.isOpen()).isTrue();
        }
    }

    @Test
    void withoutAMailerBuildLogsOneWarningNamingBuilderMailer() {
        try (HikariDataSource ds = TestDatabase.H2.freshMigratedDataSource()) {
            String log = stderrOf(() -> Accounts.builder(ds).throttleSecret(new byte[32])
                    .passkeys(TestAccounts.PASSKEYS).totpKeys(new byte[32], List.of()).build().close());
            assertThat(log.lines().filter(l -> l.contains("WARN"))).singleElement().asString()
                    .contains("Builder.mailer(...)");
            assertThat(stderrOf(() -> Accounts.builder(ds).throttleSecret(new byte[32]).mailer((to, subject, body) -> {
            }).passkeys(TestAccounts.PASSKEYS).totpKeys(new byte[32], List.of()).build().close())).doesNotContain("WARN");
        }
    }

    @Test
    void withoutPasskeysBuildLogsOneWarningNamingBuilderPasskeys() {
        try (HikariDataSource ds = TestDatabase.H2.freshMigratedDataSource()) {
            String log = stderrOf(() -> Accounts.builder(ds).throttleSecret(new byte[32]).mailer((to, subject, body) -> {
            }).totpKeys(new byte[32], List.of()).build().close());
            assertThat(log.lines().filter(l -> l.contains("WARN"))).singleElement().asString()
                    .contains("Builder.passkeys(...)");
        }
    }

    @Test
    void withoutATotpKeyBuildLogsOneWarningNamingBuilderTotpKeys() {
        try (HikariDataSource ds = TestDatabase.H2.freshMigratedDataSource()) {
            String log = stderrOf(() -> Accounts.builder(ds).throttleSecret(new byte[32]).mailer((to, subject, body) -> {
            }).passkeys(TestAccounts.PASSKEYS).build().close());
            assertThat(log.lines().filter(l -> l.contains("WARN"))).singleElement().asString()
                    .contains("Builder.totpKeys(...)").contains("404");
        }
    }

    @Test
    void housekeepingRunsOnADaemonThreadUnlessSwitchedOffAndStopsOnClose() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            int before = housekeepingThreads();
            try (Accounts off = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).housekeeping(false).build()) {
                assertThat(off.config()).isNotNull();
                assertThat(housekeepingThreads()).isEqualTo(before);
            }
            Accounts on = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).purgeEvery(Duration.ofMillis(20)).build();
            awaitUntil(() -> housekeepingThreads() == before + 1);
            on.close(); // its executor has terminated; the worker thread itself may take a moment more to end
            awaitUntil(() -> housekeepingThreads() == before);
        }
    }

    @Test
    void housekeepingPurgesExpiredRowsByItself() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            SignedIn old = t.accounts.signIns().signUp(new NewUser("purged.by.itself@example.com", "Old", "Session",
                    "a long and unusual passphrase"), ClientInfo.unknown());
            t.clock.advance(Duration.ofDays(8));
            try (Accounts housekept = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).clock(t.clock).purgeEvery(Duration.ofMillis(20)).build()) {
                assertThat(housekept.config()).isNotNull();
                awaitUntil(() -> DatabaseRows.query(t.dataSource, "select id from sessions where id = ?",
                        old.session().id()).isEmpty());
            }
        }
    }

    @Test
    void purgeEveryRefusesNonPositiveDurations() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            assertThatThrownBy(() -> Accounts.builder(t.emf).purgeEvery(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("housekeeping(false)");
        }
    }

    private static int housekeepingThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().equals("accounts-housekeeping") && th.isAlive()).count();
    }

    /** Waits for something a background thread does; fails after a generous minute rather than hanging. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The background work did not happen within a minute");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String stderrOf(Runnable work) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(stderr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
