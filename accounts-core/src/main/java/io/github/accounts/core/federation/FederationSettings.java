package io.github.accounts.core.federation;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What federated sign-in needs from the host: {@code callbackBase}, the public URL of the accounts routes (the host's
 * public URL and the mount prefix, e.g. {@code https://example.com/accounts}: each provider's redirect URI is
 * {@code {callbackBase}/providers/{id}/callback}); the providers, in the order they are shown; how long a provider may
 * take to answer ({@code timeout}, default 5 s); and whether a provider whose discovery fails at start-up is left out
 * with a WARN ({@code leaveOutUndiscoverable}: development) or fails the build (the default). Immutable.
 */
public record FederationSettings(URI callbackBase, List<Provider> providers, Duration timeout,
                                 boolean leaveOutUndiscoverable) {
    /** The default time a provider may take to answer one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public FederationSettings {
        Objects.requireNonNull(callbackBase, "null callbackBase");
        if (!callbackBase.isAbsolute() || callbackBase.getRawQuery() != null || callbackBase.getRawFragment() != null) {
            throw new IllegalArgumentException("callbackBase must be an absolute URL without query or fragment, not "
                    + callbackBase);
        }
        String base = callbackBase.toString();
        callbackBase = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        providers = List.copyOf(Objects.requireNonNull(providers, "null providers"));
        Set<String> ids = new HashSet<>();
        for (Provider p : providers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("Two providers have the id " + p.id());
            }
        }
        Objects.requireNonNull(timeout, "null timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("The provider timeout must be between 1 ms and 1 minute, not "
                    + timeout);
        }
    }

    /** These providers behind {@code callbackBase}, with the default timeout; discovery failures fail the build. */
    public static FederationSettings of(URI callbackBase, List<Provider> providers) {
        return new FederationSettings(callbackBase, providers, DEFAULT_TIMEOUT, false);
    }

    /** These settings with another provider timeout. */
    public FederationSettings withTimeout(Duration value) {
        return new FederationSettings(callbackBase, providers, value, leaveOutUndiscoverable);
    }

    /** These settings leaving out ({@code true}) a provider whose discovery fails, with a WARN, instead of failing. */
    public FederationSettings withUndiscoverableLeftOut(boolean value) {
        return new FederationSettings(callbackBase, providers, timeout, value);
    }

    /** The redirect URI registered with provider {@code id}. */
    public URI redirectUri(String id) {
        return URI.create(callbackBase + "/providers/" + id + "/callback");
    }
}
