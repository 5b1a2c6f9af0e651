package io.github.accounts.core.internal;

import io.github.accounts.core.AccountsException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Short transactions through a callback: begin, run, commit, or roll back on any failure. This is where database
 * failures leave accounts as {@link AccountsException}s: failures to reach the database become
 * {@link AccountsException#unavailable}, any other vendor exception {@link AccountsException#internal}. Thread-safe.
 */
public final class Transactions {
    private final EntityManagerFactory emf;
    private final Map<EntityManager, List<Runnable>> afterCommit = new ConcurrentHashMap<>();

    public Transactions(EntityManagerFactory emf) {
        this.emf = Objects.requireNonNull(emf, "null emf");
    }

    /** Runs {@code work} in one transaction and returns its result. */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = open();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            runAfterCommit(afterCommit.remove(em));
            return result;
        } catch (RuntimeException e) {
            rollbackQuietly(tx, e);
            throw translate(e);
        } finally {
            afterCommit.remove(em);
            em.close();
        }
    }

    /**
     * Runs {@code action} once the transaction of {@code em} (one {@link #inTransaction} opened) has committed; if it
     * rolls back, never. Actions must not throw (they hand work to another thread).
     */
    public void afterCommit(EntityManager em, Runnable action) {
        afterCommit.computeIfAbsent(em, k -> new ArrayList<>(2)).add(action);
    }

    private static void runAfterCommit(List<Runnable> actions) {
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }

    /**
     * Runs read-only {@code work} outside a transaction, each statement committing on its own: a single lookup then
     * costs one round trip to the database instead of a query and a commit. Not for anything that writes.
     */
    public <T> T read(Function<EntityManager, T> work) {
        EntityManager em = open();
        try {
            return work.apply(em);
        } catch (RuntimeException e) {
            throw translate(e);
        } finally {
            em.close();
        }
    }

    private EntityManager open() {
        try {
            return emf.createEntityManager();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    /** Whether {@code e} (or a cause) is a unique-constraint violation, SQLSTATE 23505 on H2 and PostgreSQL. */
    public static boolean isUniqueViolation(Throwable e) {
        return sqlStateStartsWith(e, "23505");
    }

    private static RuntimeException translate(RuntimeException e) {
        if (e instanceof AccountsException) {
            return e;
        }
        return isConnectionFailure(e) ? AccountsException.unavailable(e) : AccountsException.internal(e);
    }

    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        // 08: connection exception; 57P: the server is shutting down or starting up (PostgreSQL).
        return sqlStateStartsWith(e, "08") || sqlStateStartsWith(e, "57P");
    }

    private static boolean sqlStateStartsWith(Throwable e, String prefix) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith(prefix)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static void rollbackQuietly(EntityTransaction tx, RuntimeException failure) {
        try {
            if (tx.isActive()) {
                tx.rollback();
            }
        } catch (RuntimeException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
