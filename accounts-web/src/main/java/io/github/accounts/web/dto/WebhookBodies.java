package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.accounts.core.webhook.CreatedWebhook;
import io.github.accounts.core.webhook.Delivery;
import io.github.accounts.core.webhook.DeliveryPage;
import io.github.accounts.core.webhook.Webhook;

import java.time.Instant;
import java.util.List;

/** The shapes of the webhook admin routes; every field present, null when unknown. */
public final class WebhookBodies {
    private WebhookBodies() {
    }

    /** The webhook shape: never its secret. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record WebhookBody(long id, String url, List<String> eventTypes, String description, Instant createdAt,
                              boolean disabled) {
        public static WebhookBody of(Webhook w) {
            return new WebhookBody(w.id(), w.url(), w.eventTypes(), w.description(), w.createdAt(), w.disabled());
        }
    }

    /** The webhook shape with its {@code secret}: the answer to its registration alone. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreatedWebhookBody(long id, String url, List<String> eventTypes, String description,
                                     Instant createdAt, boolean disabled, String secret) {
    }

    /** {@code {"webhook"}}, with the secret shown once. */
    public record CreatedWebhookEnvelope(CreatedWebhookBody webhook) {
        public static CreatedWebhookEnvelope of(CreatedWebhook c) {
            Webhook w = c.webhook();
            return new CreatedWebhookEnvelope(new CreatedWebhookBody(w.id(), w.url(), w.eventTypes(), w.description(),
                    w.createdAt(), w.disabled(), c.secret()));
        }
    }

    /** {@code {"webhooks": [...]}}. */
    public record WebhookList(List<WebhookBody> webhooks) {
        public static WebhookList of(List<Webhook> all) {
            return new WebhookList(all.stream().map(WebhookBody::of).toList());
        }
    }

    /** The delivery shape. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DeliveryBody(long id, long eventId, String status, int attempts, Integer lastStatusCode,
                               Instant nextAttemptAt, Instant deliveredAt) {
        public static DeliveryBody of(Delivery d) {
            return new DeliveryBody(d.id(), d.eventId(), d.status().wireName(), d.attempts(), d.lastStatusCode(),
                    d.nextAttemptAt(), d.deliveredAt());
        }
    }

    /** {@code {"deliveries": [...], "next"}}: {@code next} is the {@code before} of the next page, null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DeliveryList(List<DeliveryBody> deliveries, Long next) {
        public static DeliveryList of(DeliveryPage page) {
            return new DeliveryList(page.deliveries().stream().map(DeliveryBody::of).toList(), page.next());
        }
    }
}
