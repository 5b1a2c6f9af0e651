package io.github.accounts.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries end to end, to a real receiver on a loopback port (allowed by the development policy): signed per
 * Standard Webhooks and verified with its library, retried with the back-off on the injected clock, failed after
 * the last step, retried by hand, never following a redirect, and finished by another instance after a restart.
 */
@OnEachDatabase
class WebhookDeliveryTest extends ReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CreatedWebhook register(String... types) {
        return accounts.webhooks().create(f.operator(), receiver.url("/hooks"), List.of(types), "tests",
                ClientInfo.unknown());
    }

    /** A profile change: one {@code user.updated} event of a new user. */
    private TestUser changeAProfile() {
        TestUser user = TestUsers.signUp(accounts, "hooked");
        accounts.profile().update(accounts.sessions().authenticate(user.session().sessionToken()), "Grace", null);
        return user;
    }

    @Test
    void aMatchingEventIsDeliveredSignedAsStandardWebhooksSays() throws Exception {
        CreatedWebhook hook = register("user.updated");
        TestUser user = changeAProfile();

        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);

        assertThat(receiver.received).hasSize(1);
        Receiver.Received got = receiver.received.get(0);
        new Webhook(hook.secret()).verify(got.body(), got.headers()); // throws unless the signature verifies
        JsonNode body = JSON.readTree(got.body());
        assertThat(body.get("type").asText()).isEqualTo(AccountEvent.USER_UPDATED);
        assertThat(body.get("data").get("user_id").asLong()).isEqualTo(user.id());
        assertThat(body.get("data").get("type").asText()).isEqualTo(AccountEvent.USER_UPDATED);
        assertThat(body.get("data").has("detail")).isTrue();
        assertThat(got.body()).doesNotContain(hook.secret()).doesNotContain(user.session().sessionToken());
        Delivery delivery = accounts.webhooks().deliveries(hook.webhook().id(), null, 10).deliveries().get(0);
        assertThat(got.header("webhook-id")).isEqualTo(Long.toString(delivery.id()));
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivery.attempts()).isEqualTo(1);
        assertThat(delivery.lastStatusCode()).isEqualTo(200);
        assertThat(delivery.deliveredAt()).isEqualTo(f.clock.instant());
        assertThat(delivery.nextAttemptAt()).isNull();
        assertThat(hook.secret()).matches("whsec_[A-Za-z0-9+/]{43}=");
    }

    @Test
    void onlyMatchingTypesAreDelivered() {
        register("session.*");
        changeAProfile(); // user.signed_up and user.updated only

        assertThat(accounts.webhooks().deliverDue()).isZero();
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void aReceiverThatIsDownGetsTheSameDeliveryAgainAfterTheBackOff() throws Exception {
        CreatedWebhook hook = register("user.updated");
        receiver.status.set(503);
        changeAProfile();

        accounts.webhooks().deliverDue();
        Delivery first = only(hook);
        assertThat(first.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(first.lastStatusCode()).isEqualTo(503);
        assertThat(first.nextAttemptAt()).isEqualTo(f.clock.instant().plusSeconds(5));
        assertThat(accounts.webhooks().deliverDue()).as("not due before its back-off").isZero();

        receiver.status.set(200);
        f.clock.advance(Duration.ofSeconds(5));
        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);

        assertThat(only(hook).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(only(hook).attempts()).isEqualTo(2);
        assertThat(receiver.received).hasSize(2);
        Receiver.Received retried = receiver.received.get(1);
        assertThat(retried.header("webhook-id")).isEqualTo(receiver.received.get(0).header("webhook-id"));
        assertThat(retried.body()).isEqualTo(receiver.received.get(0).body());
        String expected = new Webhook(hook.secret()).sign(retried.header("webhook-id"),
                Long.parseLong(retried.header("webhook-timestamp")), retried.body());
        assertThat(retried.header("webhook-signature")).isEqualTo(expected);
    }

    @Test
    void aDeliveryFailsAfterTheLastBackOffStepAndCanBeRetriedByHand() {
        CreatedWebhook hook = register("user.updated");
        receiver.status.set(500);
        changeAProfile();

        accounts.webhooks().deliverDue();
        for (Duration wait : DeliveryWorker.BACKOFF) {
            assertThat(only(hook).nextAttemptAt()).isEqualTo(f.clock.instant().plus(wait));
            f.clock.advance(wait);
            assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);
        }
        Delivery failed = only(hook);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(8);
        assertThat(failed.nextAttemptAt()).isNull();
        f.clock.advance(Duration.ofDays(1));
        assertThat(accounts.webhooks().deliverDue()).isZero();

        receiver.status.set(204);
        accounts.webhooks().retry(hook.webhook().id(), failed.id());
        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);
        assertThat(only(hook).status()).isEqualTo(DeliveryStatus.DELIVERED);
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.webhooks().retry(hook.webhook().id(), failed.id()));
    }

    @Test
    void attemptsAreCountedByOutcomeAndTimedAndThePendingOnesCountedAtThePurge() {
        register("user.updated");
        receiver.status.set(500);
        changeAProfile();
        accounts.webhooks().deliverDue();
        receiver.status.set(200);
        f.clock.advance(DeliveryWorker.BACKOFF.get(0));
        changeAProfile();
        accounts.purgeExpired();
        assertThat(f.registry.get("accounts.webhooks.pending").gauge().value()).isEqualTo(2);

        accounts.webhooks().deliverDue();

        assertThat(f.registry.get("accounts.webhooks.attempts").tag("outcome", "retry").counter().count())
                .isEqualTo(1);
        assertThat(f.registry.get("accounts.webhooks.attempts").tag("outcome", "delivered").counter().count())
                .isEqualTo(2);
        assertThat(f.registry.get("accounts.webhooks.attempt").timer().count()).isEqualTo(3);
        accounts.purgeExpired();
        assertThat(f.registry.get("accounts.webhooks.pending").gauge().value()).isZero();
    }

    @Test
    void aRedirectIsAnAnswerLikeAnyOtherAndIsNotFollowed() {
        CreatedWebhook hook = register("user.updated");
        receiver.redirectTo(receiver.url("/elsewhere"));
        changeAProfile();

        accounts.webhooks().deliverDue();

        assertThat(receiver.received).extracting(Receiver.Received::path).containsExactly("/hooks");
        assertThat(only(hook).lastStatusCode()).isEqualTo(302);
        assertThat(only(hook).status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void aRefusedConnectionIsAFailedAttemptWithoutAStatus() {
        Receiver gone = new Receiver();
        String url = gone.url("/gone");
        gone.close();
        CreatedWebhook hook = accounts.webhooks().create(f.operator(), url, List.of("user.updated"), null,
                ClientInfo.unknown());
        changeAProfile();

        accounts.webhooks().deliverDue();

        assertThat(only(hook).attempts()).isEqualTo(1);
        assertThat(only(hook).lastStatusCode()).isNull();
        assertThat(only(hook).status()).isEqualTo(DeliveryStatus.PENDING);
    }

    @Test
    void anotherInstanceDeliversWhatAStoppedOneCommitted() {
        CreatedWebhook hook = register("user.updated");
        changeAProfile();
        accounts.close(); // stopped between the commit and any attempt

        Accounts restarted = f.another(WebhookPolicy.allowingPrivateNetworks(), false);
        assertThat(restarted.webhooks().deliverDue()).isEqualTo(1);

        assertThat(receiver.received).hasSize(1);
        assertThat(restarted.webhooks().deliveries(hook.webhook().id(), null, 10).deliveries().get(0).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void aClaimOfAnInstanceThatDiedIsTakenOverOnceItsLeaseRunsOut() {
        CreatedWebhook hook = register("user.updated");
        changeAProfile();
        DatabaseRows.update(f.dataSource, "update webhook_deliveries set claim = 'dead', claimed_until = ?",
                DeliveryOutbox.at(f.clock.instant().plus(DeliveryWorker.LEASE)));

        assertThat(accounts.webhooks().deliverDue()).as("still leased").isZero();
        f.clock.advance(DeliveryWorker.LEASE.plusSeconds(1));
        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);

        assertThat(only(hook).status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void deletingAWebhookDropsItsPendingDeliveriesAndIsAnEventOfTheOperator() {
        Authenticated operator = f.operator();
        CreatedWebhook hook = accounts.webhooks().create(operator, receiver.url("/hooks"), List.of("user.*"), null,
                ClientInfo.unknown());
        changeAProfile();

        accounts.webhooks().delete(operator, hook.webhook().id(), ClientInfo.unknown());

        assertThat(accounts.webhooks().deliverDue()).isZero();
        assertThat(DatabaseRows.query(f.dataSource, "select id from webhook_deliveries")).isEmpty();
        assertThat(accounts.webhooks().list()).isEmpty();
        assertThat(accounts.events().page(operator, null, 10).events()).extracting(AccountEvent::type)
                .startsWith(AccountEvent.WEBHOOK_DELETED, AccountEvent.WEBHOOK_CREATED);
        assertThat(accounts.events().page(operator, null, 1).events().get(0).detail())
                .containsEntry("webhook_id", hook.webhook().id()).containsEntry("actor_user_id", operator.userId());
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.webhooks().delete(operator, hook.webhook().id(),
                ClientInfo.unknown()));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.webhooks().deliveries(hook.webhook().id(), null, 10));
    }

    @Test
    void theSecretIsSealedAtRestAndNeverListed() {
        CreatedWebhook hook = register("*");

        assertThat(DatabaseRows.everyStoredValue(f.dataSource))
                .noneMatch(v -> v.contains(hook.secret()) || v.contains(hook.secret().substring(6)));
        assertThat(accounts.webhooks().list()).containsExactly(hook.webhook());
        assertThat(hook.toString()).doesNotContain(hook.secret());
    }

    @Test
    void aSlowReceiverDoesNotHoldUpOtherWebhooks() throws Exception {
        f.close();
        f = new WebhookFixture(database, WebhookPolicy.allowingPrivateNetworks(), true); // the background worker
        accounts = f.accounts;
        try (Receiver fast = new Receiver()) {
            CountDownLatch slowAnswers = receiver.blockUntil();
            register("user.updated");
            accounts.webhooks().create(f.operator(), fast.url("/fast"), List.of("user.updated"), null,
                    ClientInfo.unknown());

            changeAProfile();

            for (int i = 0; i < 1_200 && fast.received.isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(fast.received).as("delivered while the slow receiver still holds its answer").hasSize(1);
            assertThat(receiver.received).hasSize(1);
            slowAnswers.countDown();
        }
    }

    private Delivery only(CreatedWebhook hook) {
        List<Delivery> all = accounts.webhooks().deliveries(hook.webhook().id(), null, 100).deliveries();
        assertThat(all).hasSize(1);
        return all.get(0);
    }
}
