/**
 * Webhooks: endpoints operators register ({@link io.github.accounts.core.webhook.Webhooks}), the delivery outbox
 * written in each event's transaction, the worker that sends it signed per the Standard Webhooks specification, and
 * the check that keeps deliveries off private networks ({@link io.github.accounts.core.webhook.WebhookPolicy}).
 */
package io.github.accounts.core.webhook;
