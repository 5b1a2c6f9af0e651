package io.github.accounts.core.federation;

/**
 * A flow begun: the provider's {@code authorizationUrl} the browser goes to, and the {@code browserKey} that binds
 * the flow to that browser (the web layer keeps it in the pre-auth cookie; only its digest is stored). Immutable.
 */
public record FederatedStart(String authorizationUrl, String browserKey) {
    @Override
    public String toString() {
        return "FederatedStart[authorizationUrl=" + authorizationUrl + "]";
    }
}
