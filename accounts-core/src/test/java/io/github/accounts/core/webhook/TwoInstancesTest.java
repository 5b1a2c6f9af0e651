package io.github.accounts.core.webhook;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one database deliver side by side, and each attempt goes out once: a claim is one instance's
 * until it records the outcome (or its lease of 60 s runs out, which only a stalled instance lets happen).
 */
@OnEachDatabase
class TwoInstancesTest {
    private static final int EVENTS = 60;

    @Parameter
    TestDatabase database;

    @Test
    void eachDeliveryIsSentOnceThoughTwoInstancesWorkTheSameTable() throws Exception {
        try (WebhookFixture f = new WebhookFixture(database, WebhookPolicy.allowingPrivateNetworks(), false);
             Receiver receiver = new Receiver()) {
            Accounts one = f.accounts;
            Accounts two = f.another(WebhookPolicy.allowingPrivateNetworks(), false);
            one.webhooks().create(f.operator(), receiver.url("/both"), List.of("user.updated"), null,
                    ClientInfo.unknown());
            for (int i = 0; i < EVENTS; i++) {
                var user = TestUsers.signUp(one, "twice");
                one.profile().update(one.sessions().authenticate(user.session().sessionToken()), "Grace", null);
            }

            ExecutorService both = Executors.newFixedThreadPool(2);
            Future<Integer> byOne = both.submit(() -> one.webhooks().deliverDue());
            Future<Integer> byTwo = both.submit(() -> two.webhooks().deliverDue());
            int sent = byOne.get() + byTwo.get();
            both.shutdown();

            assertThat(sent).isEqualTo(EVENTS);
            Map<String, Long> perId = receiver.received.stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            assertThat(perId).hasSize(EVENTS);
            assertThat(perId.values()).containsOnly(1L);
        }
    }
}
