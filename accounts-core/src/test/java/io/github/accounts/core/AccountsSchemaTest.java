package io.github.accounts.core;

import io.github.accounts.core.testing.TestAccounts;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.StatementLog;
import io.github.accounts.core.testing.TestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AccountsSchema: the shipped changelog applied once, quietly, and the mapping checked against the result. */
class AccountsSchemaTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void migrateAppliesWhatIsPendingOnceAndThenNothing(TestDatabase database) {
        try (HikariDataSource ds = database.freshDataSource()) {
            List<String> pending = AccountsSchema.pending(ds);
            assertThat(pending).isNotEmpty().allMatch(cs -> cs.startsWith(Accounts.CHANGELOG + "::"));

            assertThat(AccountsSchema.migrate(ds)).isEqualTo(pending);

            assertThat(AccountsSchema.pending(ds)).isEmpty();
            assertThat(AccountsSchema.migrate(ds)).isEmpty();
            assertThat(DatabaseRows.query(ds, "select id from databasechangelog")).hasSize(pending.size());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anUpToDateDatabaseIsCheckedInOneQueryAndANewChangeSetStillRuns(TestDatabase database) throws Exception {
        Path dir = Files.createTempDirectory("host-changelog");
        Path master = Files.createDirectories(dir.resolve("host")).resolve("changelog.xml");
        Files.writeString(master, hostChangelog(1));
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (HikariDataSource ds = database.freshDataSource();
             URLClassLoader host = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            Thread.currentThread().setContextClassLoader(host);
            assertThat(AccountsSchema.migrate(ds, "host/changelog.xml")).contains("host/changelog.xml::host-1::host");

            StatementLog log = new StatementLog(ds);
            assertThat(AccountsSchema.migrate(log.dataSource(), "host/changelog.xml")).isEmpty();
            assertThat(AccountsSchema.pending(log.dataSource(), "host/changelog.xml")).isEmpty();
            assertThat(log.take()).hasSize(2).allMatch(sql -> sql.contains("accounts_schema_fingerprints"));

            Files.writeString(master, hostChangelog(2)); // a release that adds a change set
            assertThat(AccountsSchema.pending(log.dataSource(), "host/changelog.xml"))
                    .containsExactly("host/changelog.xml::host-2::host");
            assertThat(AccountsSchema.migrate(log.dataSource(), "host/changelog.xml"))
                    .containsExactly("host/changelog.xml::host-2::host");
            assertThat(DatabaseRows.query(ds, "select count(*) from host_2")).hasSize(1);

            DatabaseRows.update(ds, "delete from databasechangelog where id = 'host-2'"); // as a rollback leaves it
            assertThat(AccountsSchema.pending(ds, "host/changelog.xml"))
                    .containsExactly("host/changelog.xml::host-2::host");
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    /** A host's master changelog including accounts' and then change sets host-1 to host-n, one table each. */
    private static String hostChangelog(int changeSets) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                  <include file="io/github/accounts/core/db/changelog.xml"/>
                """);
        for (int i = 1; i <= changeSets; i++) {
            xml.append("  <changeSet id=\"host-").append(i).append("\" author=\"host\">\n")
                    .append("    <createTable tableName=\"host_").append(i).append("\">\n")
                    .append("      <column name=\"id\" type=\"BIGINT\"/>\n")
                    .append("    </createTable>\n  </changeSet>\n");
        }
        return xml.append("</databaseChangeLog>\n").toString();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentMigrationsInOneProcessTakeTurnsAndApplyEachChangeSetOnce(TestDatabase database) throws Exception {
        int processes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        try {
            for (int round = 0; round < 2; round++) {
                try (HikariDataSource ds = database.freshDataSource()) {
                    int changeSets = AccountsSchema.pending(ds).size();
                    CyclicBarrier start = new CyclicBarrier(processes);
                    List<Future<List<String>>> runs = new ArrayList<>();
                    for (int i = 0; i < processes; i++) {
                        runs.add(pool.submit(() -> {
                            start.await();
                            return AccountsSchema.migrate(ds);
                        }));
                    }
                    List<String> applied = new ArrayList<>();
                    for (Future<List<String>> run : runs) {
                        applied.addAll(run.get());
                    }
                    assertThat(applied).hasSize(changeSets).doesNotHaveDuplicates();
                    assertThat(DatabaseRows.query(ds, "select id from databasechangelog")).hasSize(changeSets);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void validatePassesOnAMigratedDatabaseAndNamesTheColumnThatDrifted(TestDatabase database) {
        try (HikariDataSource ds = database.freshDataSource()) {
            AccountsSchema.migrate(ds);
            try (Accounts accounts = Accounts.builder(ds).throttleSecret(TestAccounts.THROTTLE_SECRET).build()) {
                AccountsSchema.validate(accounts);

                DatabaseRows.update(ds, "alter table users drop column lname");

                assertThatThrownBy(() -> AccountsSchema.validate(accounts))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("The database schema does not match what accounts maps")
                        .hasMessageContaining("lname");
            }
        }
    }

    @Test
    void anUnreachableDatabaseIsUnavailable() {
        JdbcDataSource missing = new JdbcDataSource();
        missing.setURL("jdbc:h2:mem:no-such-database;IFEXISTS=TRUE");
        assertThatThrownBy(() -> AccountsSchema.migrate(missing))
                .isInstanceOfSatisfying(AccountsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void aMigrationLogsOneLineAndLiquibaseNothingBelowWarning() {
        List<LogRecord> liquibase = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                liquibase.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger julLiquibase = Logger.getLogger("liquibase");
        julLiquibase.addHandler(capture);
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (HikariDataSource ds = TestDatabase.H2.freshDataSource()) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            AccountsSchema.migrate(ds);
        } finally {
            System.setErr(stderr);
            julLiquibase.removeHandler(capture);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("AccountsSchema") || l.toLowerCase().contains("liquibase")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("INFO", "Applied", "change sets");
        assertThat(liquibase).isEmpty();
    }
}
