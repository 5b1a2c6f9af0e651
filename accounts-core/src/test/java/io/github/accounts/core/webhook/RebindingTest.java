package io.github.accounts.core.webhook;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A name is looked up once per check, and the delivery connects to the address that check approved: a name that
 * answered a public address at registration and answers 127.0.0.1 at delivery is refused before any connection.
 */
@OnEachDatabase
class RebindingTest {
    @Parameter
    TestDatabase database;

    @Test
    void aNameThatTurnsToLoopbackAfterRegistrationIsRefusedAtDelivery() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1"));
        try (ServerSocket loopback = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             WebhookFixture f = new WebhookFixture(database, WebhookPolicy.strict().withResolver(rebinding), false)) {
            Accounts accounts = f.accounts;
            loopback.setSoTimeout(200);
            CreatedWebhook hook = accounts.webhooks().create(f.operator(),
                    "https://rebound.example:" + loopback.getLocalPort() + "/hook", List.of("user.*"), null,
                    ClientInfo.unknown());
            TestUsers.signUp(accounts, "rebound");

            accounts.webhooks().deliverDue();

            Delivery attempt = accounts.webhooks().deliveries(hook.webhook().id(), null, 10).deliveries().get(0);
            assertThat(attempt.attempts()).isEqualTo(1);
            assertThat(attempt.lastStatusCode()).isNull();
            assertThat(attempt.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(lookups).hasValue(2);
            assertThat(nothingConnected(loopback)).isTrue();
        }
    }

    @Test
    void theDeliveryConnectsToTheAddressItsCheckApprovedWithoutAnotherLookup() {
        try (Receiver receiver = new Receiver()) {
            AtomicInteger lookups = new AtomicInteger();
            HostResolver counting = host -> {
                lookups.incrementAndGet();
                return List.of(InetAddress.getLoopbackAddress());
            };
            try (WebhookFixture f = new WebhookFixture(database,
                    WebhookPolicy.allowingPrivateNetworks().withResolver(counting), false)) {
                f.accounts.webhooks().create(f.operator(), "http://hooks.test:" + receiver.port() + "/hook",
                        List.of("user.*"), null, ClientInfo.unknown());
                TestUsers.signUp(f.accounts, "looked.up.once");

                assertThat(f.accounts.webhooks().deliverDue()).isEqualTo(1);

                assertThat(receiver.received).hasSize(1);
                assertThat(receiver.received.get(0).header("host")).isEqualTo("hooks.test:" + receiver.port());
                assertThat(lookups).as("one at registration, one for the attempt").hasValue(2);
            }
        }
    }

    private static boolean nothingConnected(ServerSocket socket) {
        try (var ignored = socket.accept()) {
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
