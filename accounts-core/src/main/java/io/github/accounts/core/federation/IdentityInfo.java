package io.github.accounts.core.federation;

import java.time.Instant;

/**
 * An identity of a provider linked to the user's account: its provider id, the email the provider gave when it was
 * linked (null if none), and when it was linked and last signed in with. Immutable.
 */
public record IdentityInfo(long id, String provider, String email, Instant linkedAt, Instant lastUsedAt) {
}
