package io.github.accounts.core.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Puts the database of an {@link OnEachDatabase} run in front of a failure's message: surefire's reports can only
 * name the runs {@code [1]} and {@code [2]} (JUnit's legacy names of class-template invocations), so the failure
 * itself says {@code on POSTGRES: ...}. Skips (failed assumptions) pass unchanged.
 */
final class NameTheDatabaseOnFailure implements TestExecutionExceptionHandler {
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        AssertionError named = new AssertionError("on " + database(context) + ": " + failure, failure);
        named.setStackTrace(new StackTraceElement[0]);
        throw named;
    }

    /** The nearest enclosing run named after a database: the invocation's display name is the constant's. */
    private static String database(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            for (TestDatabase database : TestDatabase.values()) {
                if (c.getDisplayName().equals(database.name())) {
                    return database.name();
                }
            }
        }
        return "an unnamed database";
    }
}
