package io.github.accounts.web;

import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

/**
 * The base of the HTTP suites that run on H2 and then on PostgreSQL: a subclass annotated {@link OnEachDatabase}
 * holds the test bodies and gets one {@link HttpSuite} per database, which all its tests share (so each signs up
 * its own users).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HttpSuiteTest {
    @Parameter
    TestDatabase database;
    HttpSuite suite;

    /** What this class serves; the accounts routes with their defaults, alone, unless it says otherwise. */
    HttpSuite startSuite(TestDatabase database) {
        return HttpSuite.start(database);
    }

    @BeforeParameterizedClassInvocation
    void startServer() {
        suite = startSuite(database);
    }

    @AfterParameterizedClassInvocation
    void stopServer() {
        if (suite != null) {
            suite.close();
            suite = null;
        }
    }
}
