package io.github.accounts.core.federation;

/**
 * Building the service failed because an OpenID Connect provider's discovery failed (unreachable, not an issuer,
 * an issuer that names itself otherwise): {@link #providerId()} says which, so a host can name its setting.
 */
public final class DiscoveryFailure extends IllegalStateException {
    private final String providerId;

    DiscoveryFailure(String providerId, String message, Throwable cause) {
        super(message, cause);
        this.providerId = providerId;
    }

    /** The id of the provider whose discovery failed. */
    public String providerId() {
        return providerId;
    }
}
