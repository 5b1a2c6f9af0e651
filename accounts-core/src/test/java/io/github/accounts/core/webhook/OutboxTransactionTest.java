package io.github.accounts.core.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Deliveries commit with their event or not at all: a rolled-back change delivers nothing, and a sign-in's event,
 * written before its outcome is known, is delivered as what it finally became.
 */
@OnEachDatabase
class OutboxTransactionTest extends ReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private List<String> deliveredTypes() {
        accounts.webhooks().deliverDue();
        return receiver.received.stream().map(r -> {
            try {
                return JSON.readTree(r.body()).get("type").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void aSuccessfulSignInIsDeliveredAsSignedInOnly() {
        TestUser user = TestUsers.signUp(accounts, "signs.in");
        accounts.webhooks().create(f.operator(), receiver.url("/s"), List.of("session.*"), null, ClientInfo.unknown());

        accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());

        assertThat(deliveredTypes()).containsExactly(AccountEvent.SIGNED_IN);
    }

    @Test
    void aFailedSignInIsDeliveredAtOnceAsFailed() {
        TestUser user = TestUsers.signUp(accounts, "fails");
        accounts.webhooks().create(f.operator(), receiver.url("/s"), List.of("session.sign_in_failed"), null,
                ClientInfo.unknown());

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), "not the password at all",
                ClientInfo.unknown()));

        assertThat(deliveredTypes()).containsExactly(AccountEvent.SIGN_IN_FAILED);
    }

    @Test
    void aRolledBackChangeDeliversNothingAndAHeldEventGoesOutAfterItsHold() {
        accounts.webhooks().create(f.operator(), receiver.url("/s"), List.of("*"), null, ClientInfo.unknown());
        accounts.webhooks().deliverDue();
        receiver.received.clear();
        Transactions tx = new Transactions(f.emf);
        try (EventLog log = new EventLog(tx, f.clock, Duration.ofDays(1), List.of(), 10);
             WebhookModule module = new WebhookModule(f.emf, log, WebhookFixture.KEY, List.of(),
                     WebhookPolicy.allowingPrivateNetworks(), f.clock, false, Metrics.NONE)) {
            assertThatThrownBy(() -> tx.inTransaction(em -> {
                log.record(em, null, AccountEvent.USER_UPDATED, null, ClientInfo.unknown(), Map.of());
                throw new IllegalStateException("the change fails after its event was written");
            })).hasRootCauseMessage("the change fails after its event was written");
            assertThat(DatabaseRows.query(f.dataSource, "select id from webhook_deliveries where status = 'pending'"))
                    .isEmpty();

            tx.inTransaction(em -> log.recordUnpublished(em, null, AccountEvent.SIGN_IN_FAILED, null,
                    ClientInfo.unknown(), Map.of())); // its process died before the outcome was known
            assertThat(module.service().deliverDue()).as("held").isZero();
            f.clock.advance(DeliveryOutbox.HOLD);
            assertThat(module.service().deliverDue()).isEqualTo(1);
        }
        assertThat(receiver.received).hasSize(1);
    }
}
