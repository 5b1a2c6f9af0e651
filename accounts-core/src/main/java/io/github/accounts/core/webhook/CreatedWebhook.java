package io.github.accounts.core.webhook;

import java.util.Objects;

/**
 * A webhook just registered and its signing secret ({@code whsec_} and the base64 of 32 random bytes), shown this
 * once: it is stored sealed and never returned again. Immutable.
 */
public record CreatedWebhook(Webhook webhook, String secret) {
    public CreatedWebhook {
        Objects.requireNonNull(webhook, "null webhook");
        Objects.requireNonNull(secret, "null secret");
    }

    @Override
    public String toString() {
        return "CreatedWebhook[webhook=" + webhook + ", secret=(hidden)]";
    }
}
