package io.github.accounts.core.webhook;

import java.util.Objects;

/**
 * Where deliveries may go and how many go at once. {@link #strict()} (the default) takes {@code https:} URLs of public
 * addresses only; {@link #allowingPrivateNetworks()} also plain {@code http:} and loopback, private and link-local
 * addresses, for development and tests only (cloud metadata addresses stay refused). {@code senders} threads send
 * (1 to 64), so a slow receiver holds up only its own deliveries. Immutable.
 */
public record WebhookPolicy(boolean allowPrivateNetworks, int senders, HostResolver resolver) {
    /** The default number of sender threads per instance. */
    public static final int DEFAULT_SENDERS = 4;

    public WebhookPolicy {
        Objects.requireNonNull(resolver, "null resolver");
        if (senders < 1 || senders > 64) {
            throw new IllegalArgumentException("senders must be between 1 and 64, was " + senders);
        }
    }

    /** Public {@code https:} endpoints only, {@value #DEFAULT_SENDERS} senders, the system's resolver. */
    public static WebhookPolicy strict() {
        return new WebhookPolicy(false, DEFAULT_SENDERS, HostResolver.SYSTEM);
    }

    /** Plain {@code http:} and private addresses allowed too: development and testing only. */
    public static WebhookPolicy allowingPrivateNetworks() {
        return new WebhookPolicy(true, DEFAULT_SENDERS, HostResolver.SYSTEM);
    }

    /** This policy with another resolver. */
    public WebhookPolicy withResolver(HostResolver value) {
        return new WebhookPolicy(allowPrivateNetworks, senders, value);
    }
}
