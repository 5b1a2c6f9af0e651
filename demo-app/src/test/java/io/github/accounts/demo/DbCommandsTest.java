package io.github.accounts.demo;

import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code db} subcommands on a fresh database each, on H2 and on PostgreSQL (a new schema of its server). */
@OnEachDatabase
class DbCommandsTest {
    /** Every change set the demo applies, in order (the tests that count change sets count these). */
    static final String[] ALL = {
            "io/github/accounts/core/db/changelog.xml::accounts-1-users::accounts",
            "io/github/accounts/core/db/changelog.xml::accounts-2-sessions::accounts",
            "io/github/accounts/core/db/changelog.xml::accounts-3-one-time-tokens::accounts",
            "io/github/accounts/core/db/changelog.xml::accounts-4-throttle::accounts",
            "io/github/accounts/core/db/changelog.xml::13-1-rotated-update-tokens::accounts",
            "io/github/accounts/core/db/changelog.xml::15-1-account-events::accounts",
            "io/github/accounts/core/db/changelog.xml::15-2-users-disabled::accounts",
            "io/github/accounts/core/db/changelog.xml::20-1-email-change-tokens::accounts",
            "io/github/accounts/core/db/changelog.xml::18-1-passkey-credentials::accounts",
            "io/github/accounts/core/db/changelog.xml::18-2-passkey-ceremonies::accounts",
            "io/github/accounts/core/db/changelog.xml::17-1-mfa::accounts",
            "io/github/accounts/core/db/changelog.xml::18-3-passkey-ceremonies-mfa-token::accounts",
            "io/github/accounts/core/db/changelog.xml::26-mail-1-mail-budget::accounts",
            "io/github/accounts/core/db/changelog.xml::26-operators-1-passkey-user-handles::accounts",
            "io/github/accounts/core/db/changelog.xml::26-reauth-1-session-proofs::accounts",
            "io/github/accounts/core/db/changelog.xml::30-webhooks-1-webhooks::accounts",
            "io/github/accounts/core/db/changelog.xml::28-federation-1-identities::accounts",
            "io/github/accounts/core/db/changelog.xml::28-federation-2-flows::accounts",
            "io/github/accounts/core/db/changelog.xml::28-federation-3-optional-password::accounts",
            "io/github/accounts/core/db/changelog.xml::29-emailsignin-1-email-sign-ins::accounts",
            "io/github/accounts/core/db/changelog.xml::30-webhooks-2-delivery-errors::accounts",
            "io/github/accounts/core/db/changelog.xml::33-perf-1-schema-fingerprints::accounts",
            "io/github/accounts/core/db/changelog.xml::29-emailsignin-2-mfa-challenge-method::accounts",
            "io/github/accounts/core/db/changelog.xml::28-federation-4-reauthentication-session::accounts",
            "io/github/accounts/demo/db/changelog.xml::demo-1-greeting-counts::demo"};

    @Parameter
    TestDatabase database;
    @TempDir
    Path workingDir;
    private String url;

    @BeforeEach
    void freshDatabase() {
        url = database.freshJdbcUrl();
    }

    private Cli.Result db(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "db";
        System.arraycopy(args, 0, command, 1, args.length);
        return Cli.run(workingDir, Map.of("DATABASE_URL", url), command);
    }

    @Test
    void statusListsEveryPendingChangeSetAndExitsZero() {
        Cli.Result status = db("status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).startsWith(ALL.length + " change sets pending on ").contains("apply with 'db upgrade'");
        assertThat(status.out()).containsSubsequence(ALL);
    }

    @Test
    void upgradeAppliesThemAllOnceAndStatusThenSaysUpToDate() {
        Cli.Result upgrade = db("upgrade");
        assertThat(upgrade.exit()).isZero();
        assertThat(upgrade.out()).startsWith("Applied " + ALL.length + " change sets to ").containsSubsequence(ALL);
        assertThat(db("status").out()).startsWith("Up to date: no change sets pending");
        assertThat(db("upgrade").out()).startsWith("Nothing to apply:");
    }

    @Test
    void historyListsAppliedChangeSetsOldestFirst() {
        assertThat(db("history").out()).startsWith("No change sets applied on ");
        db("upgrade");
        Cli.Result history = db("history");
        assertThat(history.exit()).isZero();
        assertThat(history.out()).startsWith(ALL.length + " change sets applied on ").containsSubsequence(ALL);
        assertThat(history.out()).contains("EXECUTED");
    }

    @Test
    void downgradeRollsBackOneByDefaultOrTheNumberGiven() {
        db("upgrade");
        Cli.Result one = db("downgrade");
        assertThat(one.exit()).isZero();
        assertThat(one.out()).startsWith("Rolled back 1 change set on ").contains(ALL[ALL.length - 1]);
        Cli.Result two = db("downgrade", "2");
        assertThat(two.out()).startsWith("Rolled back 2 change sets on ").containsSubsequence(ALL[ALL.length - 2], ALL[ALL.length - 3]);
        assertThat(db("status").out()).startsWith("3 change sets pending").containsSubsequence(ALL[ALL.length - 3], ALL[ALL.length - 2], ALL[ALL.length - 1]);
        Cli.Result all = db("downgrade", String.valueOf(ALL.length - 2));
        assertThat(all.out()).as(all.err()).startsWith("Rolled back " + (ALL.length - 3) + " change sets");
        assertThat(db("downgrade").out()).startsWith("Nothing to roll back:");
        assertThat(db("upgrade").out()).startsWith("Applied " + ALL.length + " change sets");
    }

    @Test
    void diffDraftsWhatTheEntitiesNeedAndTheDatabaseLacks() {
        db("upgrade");
        Cli.Result same = db("diff");
        assertThat(same.exit()).isZero();
        assertThat(same.out()).startsWith("No differences: ");

        db("downgrade", String.valueOf(ALL.length - 3)); // all but users, sessions and one-time tokens
        Cli.Result draft = db("diff");
        assertThat(draft.exit()).isZero();
        assertThat(draft.out()).startsWith("<?xml").contains("<!-- Draft from 'db diff'")
                .containsIgnoringCase("<createTable tableName=\"SIGN_IN_THROTTLE\"")
                .containsIgnoringCase("name=\"THROTTLE_KEY\"")
                .containsIgnoringCase("name=\"NEW_EMAIL\"")
                .doesNotContainIgnoringCase("greeting_counts") // the demo's own table has no entity
                .doesNotContain("<drop");
    }

    @Test
    void badArgumentsExitTwoWithUsage() {
        Cli.Result unknown = db("migrate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: Unknown command 'db migrate'\n").contains("Usage:");
        Cli.Result notANumber = db("downgrade", "all");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).isEqualTo("error: db downgrade takes one positive number of change sets, not 'all'\n");
    }

    @Test
    void stagingRefusesToServeWhileChangeSetsArePendingAndServesOnceUpgraded() {
        Map<String, String> staging = Map.of("APP_SETTINGS", "staging", "DATABASE_URL", url, "PORT", "0",
                "HOST", "127.0.0.1", "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:");
        Cli.Result refused = Cli.run(workingDir, staging, "serve");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: Refusing to start: " + ALL.length + " change sets pending on ")
                .contains("run 'db upgrade' first").hasLineCount(1);
        assertThat(db("status").out()).startsWith(ALL.length + " change sets pending"); // it did not migrate

        db("upgrade");
        try (TestApp app = new TestApp(staging)) {
            assertThat(app.get("/readyz", null).status()).isEqualTo(200);
        }
    }
}
