package io.github.accounts.core.webhook;

import java.util.List;

/** A page of a webhook's deliveries, newest first; {@code next} is the {@code before} of the next page, or null. */
public record DeliveryPage(List<Delivery> deliveries, Long next) {
    public DeliveryPage {
        deliveries = List.copyOf(deliveries);
    }
}
