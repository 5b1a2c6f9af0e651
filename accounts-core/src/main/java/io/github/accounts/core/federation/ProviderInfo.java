package io.github.accounts.core.federation;

/** A provider as clients see it: its id and the name to show on its button. Immutable. */
public record ProviderInfo(String id, String name) {
}
