package io.github.accounts.core;

import io.github.accounts.core.internal.WarningsLogService;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SchemaValidationException;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * accounts' tables for hosts that do not run Liquibase themselves: {@link #migrate} applies {@link Accounts#CHANGELOG},
 * {@link #pending} lists what it would apply, {@link #validate} checks the schema against what accounts maps. Hosts
 * with a Liquibase set-up of their own include {@link Accounts#CHANGELOG} from their master changelog instead; the
 * overloads taking a changelog run such a master changelog the same way. Liquibase runs quietly (analytics off, its
 * console and per-change-set lines below WARNING dropped, set for each call rather than process-wide); this class
 * logs one INFO line per migration. Thread-safe: Liquibase is not safe to run from several threads of one process
 * at once (its scope and lock services are process-wide), so calls here take turns; Liquibase's lock serialises
 * migrations across processes.
 */
public final class AccountsSchema {
    private static final Logger log = LoggerFactory.getLogger(AccountsSchema.class);
    /**
     * What a CREATE of one of Liquibase's own tables fails with when another process created it first: PostgreSQL's
     * duplicate_table, or unique_violation on its catalog ({@code pg_type_typname_nsp_index}) when both are in the
     * middle of it; H2's "table already exists".
     */
    private static final Set<String> CREATED_CONCURRENTLY = Set.of("42P07", "23505", "42S01");
    private static final int ATTEMPTS = 4;
    /** One Liquibase run at a time in this process; found needed by {@code AccountsSchemaTest}. */
    private static final Object TURN = new Object();

    private AccountsSchema() {
    }

    /**
     * Applies the pending change sets of {@link Accounts#CHANGELOG} to {@code dataSource} and returns them, as
     * {@code path::id::author}, in the order applied; on an up-to-date database it changes nothing. Throws
     * {@link AccountsException} {@code unavailable} when the database cannot be reached and
     * {@link IllegalStateException} when a change set fails (its cause, Liquibase's exception, says why).
     */
    public static List<String> migrate(DataSource dataSource) {
        return migrate(dataSource, Accounts.CHANGELOG);
    }

    /**
     * Like {@link #migrate(DataSource)} for a host's master {@code changelog} (a classpath path) that includes
     * {@link Accounts#CHANGELOG}: change sets are tracked by the path of the file that holds them, so a host may
     * move from one form to the other.
     * <p>
     * Two processes migrating a fresh database at once can collide creating Liquibase's own tables, before its lock
     * exists (liquibase#5254; on PostgreSQL as {@code duplicate_table}, or as a unique violation on its catalog while
     * both create them); the loser tries again, a few times, and then waits on the lock like any later migration.
     */
    public static List<String> migrate(DataSource dataSource, String changelog) {
        Objects.requireNonNull(dataSource, "null dataSource");
        Objects.requireNonNull(changelog, "null changelog");
        String digest = SchemaFingerprint.digest(classLoader(), changelog);
        if (upToDate(dataSource, changelog, digest)) {
            log.info("Schema up to date ({})", changelog);
            return List.of();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                List<String> applied = withLiquibase(dataSource, changelog, AccountsSchema::update);
                record(dataSource, changelog, digest);
                log.info(applied.isEmpty() ? "Schema up to date ({})" : "Applied {} to the schema ({})",
                        applied.isEmpty() ? changelog : count(applied.size()), changelog);
                return applied;
            } catch (CreatedConcurrently e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("Liquibase could not create its tables with " + changelog
                            + " after " + ATTEMPTS + " attempts", e.getCause());
                }
                pause(attempt);
            }
        }
    }

    /** The change sets of {@link Accounts#CHANGELOG} not yet applied, in the order {@link #migrate} would apply them. */
    public static List<String> pending(DataSource dataSource) {
        return pending(dataSource, Accounts.CHANGELOG);
    }

    /** The change sets of a host's master {@code changelog} not yet applied. */
    public static List<String> pending(DataSource dataSource, String changelog) {
        Objects.requireNonNull(dataSource, "null dataSource");
        Objects.requireNonNull(changelog, "null changelog");
        if (upToDate(dataSource, changelog, SchemaFingerprint.digest(classLoader(), changelog))) {
            return List.of();
        }
        return withLiquibase(dataSource, changelog,
                lb -> lb.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream()
                        .map(AccountsSchema::name).toList());
    }

    /**
     * Checks that every table and column {@code accounts} maps exists with a compatible type, as start-up should
     * once migrations are done; throws {@link IllegalStateException} naming the first difference.
     */
    public static void validate(Accounts accounts) {
        EntityManagerFactory emf = Objects.requireNonNull(accounts, "null accounts").entityManagerFactory();
        try {
            emf.getSchemaManager().validate();
        } catch (SchemaValidationException e) {
            throw new IllegalStateException("The database schema does not match what accounts maps ("
                    + e.getMessage() + ")", e); // Hibernate's message is one line naming the table and column
        }
    }

    /**
     * Whether the database is as the last migration with {@code changelog} left it, in one query
     * ({@link SchemaFingerprint}); then Liquibase need not parse the changelog. Issue 33.
     */
    private static boolean upToDate(DataSource dataSource, String changelog, String digest) {
        if (digest == null) {
            return false;
        }
        try (Connection connection = dataSource.getConnection()) {
            return SchemaFingerprint.matches(connection, changelog, digest);
        } catch (SQLException e) {
            throw AccountsException.unavailable(e);
        }
    }

    private static void record(DataSource dataSource, String changelog, String digest) {
        if (digest == null) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            SchemaFingerprint.record(connection, changelog, digest);
        } catch (SQLException e) {
            throw AccountsException.unavailable(e);
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
            if (applied.isEmpty() && CREATED_CONCURRENTLY.contains(sqlState(e))) {
                throw new CreatedConcurrently(e);
            }
            throw e;
        }
        return applied;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Liquibase liquibase) throws LiquibaseException;
    }

    private static <T> T withLiquibase(DataSource dataSource, String changelog, Work<T> work) {
        synchronized (TURN) {
            return withLiquibaseAlone(dataSource, changelog, work);
        }
    }

    private static <T> T withLiquibaseAlone(DataSource dataSource, String changelog, Work<T> work) {
        Map<String, Object> quiet = Map.of(
                "liquibase.analytics.enabled", false,
                Scope.Attr.ui.name(), new LoggerUIService(),
                Scope.Attr.logService.name(), new WarningsLogService());
        try (Connection connection = dataSource.getConnection()) {
            return Scope.child(quiet, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                Liquibase liquibase = new Liquibase(changelog, new ClassLoaderResourceAccessor(classLoader()), database);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                return work.run(liquibase);
            });
        } catch (SQLException e) {
            throw AccountsException.unavailable(e);
        } catch (CreatedConcurrently | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Liquibase failed with " + changelog, e);
        }
    }

    /** The host's class loader where there is one, so that its master changelog is found; else accounts' own. */
    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : AccountsSchema.class.getClassLoader();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while migrating", e);
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    private static String name(ChangeSet cs) {
        return cs.getFilePath() + "::" + cs.getId() + "::" + cs.getAuthor();
    }

    private static String count(int n) {
        return n == 1 ? "1 change set" : n + " change sets";
    }

    /** Another process created one of Liquibase's tables first; worth another try. */
    private static final class CreatedConcurrently extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CreatedConcurrently(LiquibaseException cause) {
            super(null, cause, false, false);
        }
    }
}
