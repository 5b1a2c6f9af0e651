package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.webhook.Webhooks;
import io.github.accounts.web.dto.WebhookBodies.CreatedWebhookEnvelope;
import io.github.accounts.web.dto.WebhookBodies.DeliveryList;
import io.github.accounts.web.dto.WebhookBodies.WebhookList;

import java.util.List;

/**
 * The operators' webhook routes ("Webhooks (admin routes)"): rows of {@link AdminRoutes}' table, behind its operator
 * check. Thread-safe.
 */
final class WebhookRoutes {
    private final Accounts accounts;

    WebhookRoutes(Accounts accounts) {
        this.accounts = accounts;
    }

    private Webhooks webhooks() {
        return accounts.webhooks();
    }

    Object create(Exchange x, Authenticated operator) {
        JsonBody body = x.body();
        String url = body.text("url");
        List<String> types = body.texts("event_types");
        String description = body.text("description");
        body.requireTypes();
        return CreatedWebhookEnvelope.of(webhooks().create(operator, url, types, description, x.client()));
    }

    Object list(Exchange x, Authenticated operator) {
        return WebhookList.of(webhooks().list());
    }

    Object delete(Exchange x, Authenticated operator) {
        webhooks().delete(operator, id(x), x.client());
        return null;
    }

    Object deliveries(Exchange x, Authenticated operator) {
        return DeliveryList.of(webhooks().deliveries(id(x), Endpoints.queryNumber(x, "before"),
                Endpoints.pageLimit(x)));
    }

    Object retry(Exchange x, Authenticated operator) {
        long webhookId = id(x);
        long deliveryId;
        try {
            deliveryId = Long.parseLong(x.req.params(":delivery_id"));
        } catch (NumberFormatException e) {
            throw HttpProblem.notFound();
        }
        webhooks().retry(webhookId, deliveryId);
        return null;
    }

    private static long id(Exchange x) {
        return RouteAdapter.pathId(x, "There is no such webhook.");
    }
}
