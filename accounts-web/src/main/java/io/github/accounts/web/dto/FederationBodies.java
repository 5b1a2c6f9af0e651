package io.github.accounts.web.dto;

import io.github.accounts.core.federation.IdentityInfo;
import io.github.accounts.core.federation.ProviderInfo;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/** The shapes of federated sign-in's routes. */
public final class FederationBodies {
    private FederationBodies() {
    }

    /** {@code {"providers": [{"id", "name"}]}}. */
    public record ProviderList(List<ProviderBody> providers) {
        public static ProviderList of(List<ProviderInfo> providers) {
            return new ProviderList(providers.stream().map(p -> new ProviderBody(p.id(), p.name())).toList());
        }
    }

    /** A provider as clients see it. */
    public record ProviderBody(String id, String name) {
    }

    /** {@code {"authorization_url"}}: where the page navigates next. */
    public record AuthorizationUrl(String authorizationUrl) {
    }

    /** The contract's identity shape; {@code email} and {@code last_used_at} may be null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record IdentityBody(long id, String provider, String email, Instant linkedAt, Instant lastUsedAt) {
        public static IdentityBody of(IdentityInfo i) {
            return new IdentityBody(i.id(), i.provider(), i.email(), i.linkedAt(), i.lastUsedAt());
        }
    }

    /** {@code {"identities": [...]}}. */
    public record IdentityList(List<IdentityBody> identities) {
        public static IdentityList of(List<IdentityInfo> identities) {
            return new IdentityList(identities.stream().map(IdentityBody::of).toList());
        }
    }
}
