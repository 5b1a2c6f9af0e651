package io.github.accounts.core.webhook;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;

import java.util.List;

/**
 * What operators do with webhooks ({@code Accounts.webhooks()}): register, list and delete endpoints, read and retry
 * their deliveries. These check nobody's rights: the host decides who is an operator first (accounts-web's admin
 * routes do). Registering and deleting are events of the operator's account ({@code webhook.created},
 * {@code webhook.deleted}). Without a webhook key every method is {@code not_found} ({@link #deliverDue} finds
 * nothing). Thread-safe.
 */
public interface Webhooks {
    /**
     * Registers an endpoint for {@code eventTypes} (types, prefixes ending in {@code .*}, or {@code ["*"]});
     * {@code description} may be null. The URL is checked now ({@code invalid_webhook_url}) and again before each
     * delivery. The answer alone carries the signing secret.
     */
    CreatedWebhook create(Authenticated operator, String url, List<String> eventTypes, String description,
                          ClientInfo client);

    /** Every registered webhook, oldest first (at most 1,000, the number one deployment may register). */
    List<Webhook> list();

    /** Deletes a webhook and drops its deliveries; {@code not_found} for an unknown id. */
    void delete(Authenticated operator, long webhookId, ClientInfo client);

    /**
     * A webhook's deliveries, newest first: up to {@code limit} (1 to 100) older than delivery id {@code before}
     * (null: the newest); {@code not_found} for an unknown webhook.
     */
    DeliveryPage deliveries(long webhookId, Long before, int limit);

    /**
     * Tries a failed delivery again from its first back-off step, and enables its webhook if its failures disabled it
     * (see {@link Webhook#disabled}); {@code not_found} unless it is a failed delivery of that webhook.
     */
    void retry(long webhookId, long deliveryId);

    /**
     * Sends what is due now on the senders and waits for those attempts; returns how many were sent. The
     * background worker does this every second and as soon as a delivery is written; hosts that turned the
     * housekeeping off ({@code AccountsBuilder.housekeeping(false)}) call it themselves.
     */
    int deliverDue();
}
