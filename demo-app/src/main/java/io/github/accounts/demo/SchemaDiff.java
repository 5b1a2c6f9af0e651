package io.github.accounts.demo;

import jakarta.persistence.PersistenceConfiguration;
import jakarta.persistence.PersistenceUnitTransactionType;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.diff.DiffGeneratorFactory;
import liquibase.diff.DiffResult;
import liquibase.diff.ObjectDifferences;
import liquibase.diff.compare.CompareControl;
import liquibase.diff.output.DiffOutputControl;
import liquibase.diff.output.ObjectChangeFilter;
import liquibase.diff.output.changelog.DiffToChangeLog;
import liquibase.structure.DatabaseObject;
import liquibase.structure.core.Column;
import liquibase.structure.core.ForeignKey;
import liquibase.structure.core.Index;
import liquibase.structure.core.PrimaryKey;
import liquibase.structure.core.Sequence;
import liquibase.structure.core.Table;
import liquibase.structure.core.UniqueConstraint;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code db diff}: what the entities need that the database lacks, as a draft Liquibase changelog. The entities
 * are turned into tables by Hibernate ({@code hbm2ddl create}) in a scratch in-memory H2 database, which
 * Liquibase then compares with the target.
 * <p>
 * Only additions are drafted: tables, columns, keys, unique constraints and sequences the database does not have.
 * What the database has beyond the entities (indexes, {@code ON DELETE CASCADE}, the host's own tables) and
 * differences in how H2 and PostgreSQL spell types are left out, because hand-written change sets rightly say more
 * than Hibernate can infer, and drafting their removal would be wrong. Thread-safe: each call has its own scratch
 * database.
 */
final class SchemaDiff {
    private static final Set<Class<? extends DatabaseObject>> ADDABLE = Set.of(
            Table.class, Column.class, PrimaryKey.class, UniqueConstraint.class, ForeignKey.class, Sequence.class,
            Index.class);

    private final List<Class<?>> entityClasses;

    SchemaDiff(List<Class<?>> entityClasses) {
        this.entityClasses = List.copyOf(entityClasses);
    }

    /** Writes the draft for {@code target} to {@code out}; returns how many change sets it holds. */
    int print(DataSource target, DatabaseUrl where, PrintStream out) {
        JdbcDataSource scratch = new JdbcDataSource();
        scratch.setURL("jdbc:h2:mem:diff-" + UUID.randomUUID());
        try (Connection keepAlive = scratch.getConnection(); Connection targetConnection = target.getConnection()) {
            createFromEntities(scratch);
            Database reference = database(keepAlive);
            Database comparison = database(targetConnection);
            DiffToChangeLog draft = Scope.child(Map.of("liquibase.analytics.enabled", false), () -> {
                DiffResult result = DiffGeneratorFactory.getInstance()
                        .compare(reference, comparison, new CompareControl());
                DiffOutputControl control = new DiffOutputControl(false, false, false, null);
                control.setObjectChangeFilter(new AdditionsOnly());
                DiffToChangeLog toChangeLog = new DiffToChangeLog(result, control);
                toChangeLog.setChangeSetAuthor("draft");
                toChangeLog.setIdRoot("draft");
                return toChangeLog;
            });
            List<ChangeSet> changeSets = draft.generateChangeSets();
            if (changeSets.isEmpty()) {
                out.println("No differences: " + where + " has every table and column the entities need.");
                return 0;
            }
            ByteArrayOutputStream xml = new ByteArrayOutputStream();
            draft.print(new PrintStream(xml, true, StandardCharsets.UTF_8));
            String note = "<!-- Draft from 'db diff': what the entities need that " + where + " lacks.\n"
                    + "     Review it, give each change set a lasting id and author, and add it to "
                    + Migrations.CHANGELOG + ". -->";
            // The note goes after the XML declaration, which must stay first.
            out.print(xml.toString(StandardCharsets.UTF_8).replaceFirst("\\?>\\R", "?>\n" + note + "\n"));
            return changeSets.size();
        } catch (SQLException e) {
            throw ConnectionPool.unreachable(where, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw Failure.runtime("Could not compare the entities with " + where + ": " + ConnectionPool.firstLine(e));
        }
    }

    private void createFromEntities(DataSource scratch) {
        PersistenceConfiguration unit = new PersistenceConfiguration("db-diff")
                .transactionType(PersistenceUnitTransactionType.RESOURCE_LOCAL)
                .property("jakarta.persistence.nonJtaDataSource", scratch)
                .property("hibernate.hbm2ddl.auto", "create");
        entityClasses.forEach(unit::managedClass);
        // Creating the factory runs hbm2ddl; the tables outlive it because the caller holds a connection open.
        unit.createEntityManagerFactory().close();
    }

    private static Database database(Connection connection) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

    /** Keeps what the target is missing; never drafts a drop or a change. */
    private static final class AdditionsOnly implements ObjectChangeFilter {
        @Override
        public boolean includeMissing(DatabaseObject object, Database reference, Database comparison) {
            if (object instanceof Index index && index.getName() != null
                    && index.getName().toLowerCase(Locale.ROOT).matches("primary_key_.*|.*_index_.*")) {
                return false; // H2's own index behind a key or constraint, not one the entities asked for
            }
            return ADDABLE.contains(object.getClass());
        }

        @Override
        public boolean includeUnexpected(DatabaseObject object, Database reference, Database comparison) {
            return false;
        }

        @Override
        public boolean includeChanged(DatabaseObject object, ObjectDifferences differences, Database reference,
                                      Database comparison) {
            return false;
        }

        @Override
        public boolean include(DatabaseObject object) {
            return true;
        }
    }
}
