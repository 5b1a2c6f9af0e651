package io.github.accounts.demo;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.RanChangeSet;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code db} subcommands over demo-app's master changelog, which includes accounts-core's changelog and
 * adds the demo's own change sets. Each call takes one connection for its duration. Liquibase runs with its
 * analytics off (there may be no network) and its console output routed to the log: callers print what
 * happened themselves. Thread-safe; Liquibase's lock table serialises upgrades across processes.
 */
final class Migrations {
    /** The classpath path of the master changelog; a host keeps its own beside its code the same way. */
    static final String CHANGELOG = "io/github/accounts/demo/db/changelog.xml";
    /** SQLSTATE of CREATE TABLE for a table that exists: PostgreSQL's duplicate_table. */
    private static final String DUPLICATE_TABLE = "42P07";

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
        return withLiquibase(lb -> lb.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream()
                .map(Migrations::name).toList());
    }

    /**
     * Applies every pending change set and returns them, as Liquibase reports them applied. Two processes
     * upgrading a fresh database at once can collide creating Liquibase's own changelog table before its lock
     * exists (liquibase#5254; seen in {@code ProductionShapeTest}); the loser tries once more, and then waits on
     * the lock like any later upgrade.
     */
    List<String> upgrade() {
        try {
            return withLiquibase(Migrations::update);
        } catch (TableCreatedConcurrently e) {
            return withLiquibase(Migrations::update);
        }
    }

    private static List<String> update(Liquibase lb) throws LiquibaseException {
        List<String> applied = new ArrayList<>();
        lb.setChangeExecListener(new AbstractChangeExecListener() {
            @Override
            public void ran(ChangeSet changeSet, DatabaseChangeLog changeLog, Database database,
                            ChangeSet.ExecType execType) {
                applied.add(name(changeSet));
            }
        });
        try {
            lb.update(new Contexts(), new LabelExpression());
        } catch (LiquibaseException e) {
            if (applied.isEmpty() && sqlState(e).equals(DUPLICATE_TABLE)) {
                throw new TableCreatedConcurrently();
            }
            throw e;
        }
        return applied;
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    /** Another process created a table of Liquibase's first; worth one more try. */
    private static final class TableCreatedConcurrently extends RuntimeException {
        TableCreatedConcurrently() {
            super(null, null, false, false);
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
            liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
            Map<String, Object> quiet = Map.of("liquibase.analytics.enabled", false,
                    Scope.Attr.ui.name(), new LoggerUIService());
            return Scope.child(quiet, () -> work.run(liquibase));
        } catch (SQLException e) {
            throw unreachable(where, e);
        } catch (LiquibaseException e) {
            throw Failure.runtime("Liquibase failed on " + where + ": " + firstLine(e));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw Failure.runtime("Migration failed on " + where + ": " + firstLine(e));
        }
    }

    /** The failure for a database that did not answer; the driver's message never holds the password. */
    static Failure unreachable(DatabaseUrl where, Exception e) {
        return Failure.runtime("Cannot reach the database (" + where + "): " + firstLine(e));
    }

    private static List<RanChangeSet> ran(Liquibase lb) throws LiquibaseException {
        return lb.getDatabase().getRanChangeSetList();
    }

    private static String name(ChangeSet cs) {
        return cs.getFilePath() + "::" + cs.getId() + "::" + cs.getAuthor();
    }

    private static String name(RanChangeSet cs) {
        return cs.getChangeLog() + "::" + cs.getId() + "::" + cs.getAuthor();
    }

    /** The deepest cause's message, on one line: what went wrong, without the wrapping layers. */
    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip().lines().findFirst().orElse("");
    }
}
