package io.github.accounts.core.webhook;

import com.standardwebhooks.Webhook;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the contract leaves to us: a webhook whose receiver refused everything for its whole back-off is disabled
 * until an operator retries a failed delivery, and the webhook key rotates (older keys open, the housekeeping seals
 * again under the new one).
 */
@OnEachDatabase
class WebhookLifecycleTest extends ReceiverTest {
    private static final byte[] NEW_KEY = "a newer webhook key for tests 32".getBytes(StandardCharsets.UTF_8);

    private CreatedWebhook register(Accounts accounts) {
        return accounts.webhooks().create(f.operator(), receiver.url("/hooks"), List.of("user.updated"), null,
                ClientInfo.unknown());
    }

    private void changeAProfile(Accounts accounts, String name) {
        TestUsers.TestUser user = TestUsers.signUp(accounts, name);
        accounts.profile().update(accounts.sessions().authenticate(user.session().sessionToken()), "Grace", null);
    }

    private List<Delivery> deliveries(Accounts accounts, CreatedWebhook hook) {
        return accounts.webhooks().deliveries(hook.webhook().id(), null, 100).deliveries();
    }

    /** Sends what is due and every retry of it until none is left pending. */
    private void runOutTheBackOff(Accounts accounts) {
        accounts.webhooks().deliverDue();
        for (Duration wait : DeliveryWorker.BACKOFF) {
            f.clock.advance(wait);
            accounts.webhooks().deliverDue();
        }
    }

    @Test
    void aWebhookThatRefusedEverythingForItsWholeBackOffIsDisabledUntilARetry() {
        Accounts accounts = f.accounts;
        CreatedWebhook hook = register(accounts);
        receiver.status.set(500);
        changeAProfile(accounts, "first");

        runOutTheBackOff(accounts);

        Delivery failed = deliveries(accounts, hook).get(0);
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(accounts.webhooks().list()).singleElement().extracting(w -> w.disabled()).isEqualTo(true);
        changeAProfile(accounts, "while.disabled");
        assertThat(deliveries(accounts, hook)).as("nothing written for a disabled webhook").hasSize(1);

        receiver.status.set(200);
        accounts.webhooks().retry(hook.webhook().id(), failed.id());

        assertThat(accounts.webhooks().list()).singleElement().extracting(w -> w.disabled()).isEqualTo(false);
        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);
        changeAProfile(accounts, "enabled.again");
        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);
        assertThat(deliveries(accounts, hook)).hasSize(2)
                .allSatisfy(d -> assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED));
    }

    @Test
    void aWebhookThatTookADeliveryMeanwhileStaysEnabledWhenAnOlderOneFails() {
        Accounts accounts = f.accounts;
        CreatedWebhook hook = register(accounts);
        receiver.status.set(500);
        changeAProfile(accounts, "refused");
        accounts.webhooks().deliverDue(); // the first attempt fails; the next is due in 5 s
        receiver.status.set(200);
        changeAProfile(accounts, "taken");
        assertThat(accounts.webhooks().deliverDue()).isEqualTo(1);
        receiver.status.set(500);

        runOutTheBackOff(accounts);

        assertThat(deliveries(accounts, hook)).extracting(Delivery::status)
                .containsExactly(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED);
        assertThat(accounts.webhooks().list()).singleElement().extracting(w -> w.disabled()).isEqualTo(false);
    }

    @Test
    void anOlderWebhookKeyStillSignsUntilTheHousekeepingSealsItsSecretsAgainUnderTheNewOne() throws Exception {
        CreatedWebhook hook = register(f.accounts); // sealed under WebhookFixture.KEY
        Accounts newKeyOnly = f.another(NEW_KEY, List.of(), WebhookPolicy.allowingPrivateNetworks(), false);
        Accounts rotating = f.another(NEW_KEY, List.of(WebhookFixture.KEY), WebhookPolicy.allowingPrivateNetworks(),
                false);
        changeAProfile(rotating, "before.reseal");

        newKeyOnly.webhooks().deliverDue();
        assertThat(receiver.received).isEmpty();
        assertThat(deliveries(rotating, hook).get(0).lastError()).startsWith("Could not sign: ")
                .contains("not among the webhook keys");
        f.clock.advance(DeliveryWorker.BACKOFF.get(0));
        assertThat(rotating.webhooks().deliverDue()).isEqualTo(1);
        rotating.purgeExpired();
        changeAProfile(rotating, "after.reseal");
        assertThat(newKeyOnly.webhooks().deliverDue()).isEqualTo(1);

        assertThat(receiver.received).hasSize(2);
        for (Receiver.Received got : receiver.received) {
            new Webhook(hook.secret()).verify(got.body(), got.headers()); // the same secret, whatever key sealed it
        }
    }
}
