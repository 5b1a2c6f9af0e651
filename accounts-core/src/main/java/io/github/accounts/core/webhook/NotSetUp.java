package io.github.accounts.core.webhook;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;

import java.util.List;

/** Webhooks on a deployment that gave no webhook key: every method is {@code not_found}. Immutable. */
final class NotSetUp implements Webhooks {
    @Override
    public CreatedWebhook create(Authenticated operator, String url, List<String> eventTypes, String description,
                                 ClientInfo client) {
        throw notSetUp();
    }

    @Override
    public List<Webhook> list() {
        throw notSetUp();
    }

    @Override
    public void delete(Authenticated operator, long webhookId, ClientInfo client) {
        throw notSetUp();
    }

    @Override
    public DeliveryPage deliveries(long webhookId, Long before, int limit) {
        throw notSetUp();
    }

    @Override
    public void retry(long webhookId, long deliveryId) {
        throw notSetUp();
    }

    @Override
    public int deliverDue() {
        return 0;
    }

    private static AccountsException notSetUp() {
        return AccountsException.of(ErrorCode.NOT_FOUND, "Webhooks are not set up on this server.");
    }
}
