package io.github.accounts.core.passkey;

import java.time.Instant;
import java.util.List;

/**
 * One of a user's passkeys as they see it: {@code lastUsedAt} is null until its first sign-in, {@code transports}
 * what the authenticator said it can be reached by ({@code internal}, {@code hybrid}, {@code usb}, ...). Immutable.
 */
public record PasskeyInfo(long id, String name, Instant createdAt, Instant lastUsedAt, List<String> transports) {
    public PasskeyInfo {
        transports = List.copyOf(transports);
    }
}
