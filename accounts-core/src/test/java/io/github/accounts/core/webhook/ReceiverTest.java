package io.github.accounts.core.webhook;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;

/**
 * The opening the delivery tests share: per test, a {@link WebhookFixture} on a fresh database (the development
 * policy, so loopback receivers are allowed; the worker in the test's hands) and one real {@link Receiver}. A
 * subclass annotated {@code OnEachDatabase} holds the test bodies.
 */
abstract class ReceiverTest {
    @Parameter
    TestDatabase database;
    WebhookFixture f;
    Receiver receiver;
    Accounts accounts;

    @BeforeEach
    void start() {
        f = new WebhookFixture(database, WebhookPolicy.allowingPrivateNetworks(), false);
        accounts = f.accounts;
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        f.close();
    }
}
