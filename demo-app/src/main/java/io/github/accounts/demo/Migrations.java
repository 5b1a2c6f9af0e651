package io.github.accounts.demo;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.AccountsSchema;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code db} subcommands over demo-app's master changelog, which includes accounts-core's changelog and
 * adds the demo's own change sets. Upgrades and the pending list are accounts' {@link AccountsSchema}, as a host
 * would use it; rolling back and the history are what only the command line offers, with Liquibase's analytics
 * off and its console output routed to the log. Each call takes one connection for its duration; callers print
 * what happened themselves. Thread-safe.
 */
final class Migrations {
    /** The classpath path of the master changelog; a host keeps its own beside its code the same way. */
    static final String CHANGELOG = "io/github/accounts/demo/db/changelog.xml";

    private final DataSource dataSource;
    private final DatabaseUrl where;

    Migrations(DataSource dataSource, DatabaseUrl where) {
        this.dataSource = dataSource;
        this.where = where;
    }

    /** One applied change set, as {@code db history} shows it. */
    record Applied(String changeSet, String executedAt, String kind) {
    }

    /** The change sets not yet applied, in the order {@code db upgrade} would apply them. */
    List<String> pending() {
        return translated(() -> AccountsSchema.pending(dataSource, CHANGELOG));
    }

    /** Applies every pending change set and returns them, as accounts' {@link AccountsSchema#migrate} does. */
    List<String> upgrade() {
        return translated(() -> AccountsSchema.migrate(dataSource, CHANGELOG));
    }

    /** AccountsSchema's failures as the one line the command line prints. */
    private List<String> translated(Supplier<List<String>> work) {
        try {
            return work.get();
        } catch (AccountsException e) {
            throw ConnectionPool.unreachable(where, e);
        } catch (IllegalStateException e) {
            throw Failure.runtime("Liquibase failed on " + where + ": " + ConnectionPool.firstLine(e));
        }
    }

    /** Rolls back the last {@code count} applied change sets, newest first, and returns them. */
    List<String> downgrade(int count) {
        return withLiquibase(lb -> {
            List<String> newest = ran(lb).stream()
                    .sorted(Comparator.comparing(RanChangeSet::getOrderExecuted).reversed())
                    .limit(count).map(Migrations::name).toList();
            if (!newest.isEmpty()) {
                lb.rollback(newest.size(), (String) null);
            }
            return newest;
        });
    }

    /** Every applied change set, oldest first. */
    List<Applied> history() {
        return withLiquibase(lb -> ran(lb).stream()
                .sorted(Comparator.comparing(RanChangeSet::getOrderExecuted))
                .map(r -> new Applied(name(r), r.getDateExecuted().toInstant().toString(), r.getExecType().name()))
                .toList());
    }

    /** Stops start-up, naming {@code db upgrade}, while change sets are pending. */
    void requireUpToDate() {
        List<String> pending = pending();
        if (!pending.isEmpty()) {
            throw Failure.runtime("Refusing to start: " + (pending.size() == 1 ? "1 change set" : pending.size()
                    + " change sets") + " pending on " + where + ", and this environment does not migrate by itself;"
                    + " run 'db upgrade' first");
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Liquibase liquibase) throws LiquibaseException;
    }

    private <T> T withLiquibase(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()), database);
            Map<String, Object> quiet = Map.of("liquibase.analytics.enabled", false,
                    Scope.Attr.ui.name(), new LoggerUIService());
            return Scope.child(quiet, () -> work.run(liquibase));
        } catch (SQLException e) {
            throw ConnectionPool.unreachable(where, e);
        } catch (LiquibaseException e) {
            throw Failure.runtime("Liquibase failed on " + where + ": " + ConnectionPool.firstLine(e));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw Failure.runtime("Migration failed on " + where + ": " + ConnectionPool.firstLine(e));
        }
    }

    private static List<RanChangeSet> ran(Liquibase lb) throws LiquibaseException {
        return lb.getDatabase().getRanChangeSetList();
    }

    private static String name(RanChangeSet cs) {
        return cs.getChangeLog() + "::" + cs.getId() + "::" + cs.getAuthor();
    }
}
