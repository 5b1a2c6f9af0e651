package io.github.accounts.core.passkey;

import java.util.Objects;

/**
 * A passkey ceremony begun: the {@code ceremonyId} that finishes it (single use, 5 minutes, on any instance) and the
 * options for the browser as WebAuthn Level 3 JSON ({@code PublicKeyCredentialCreationOptionsJSON} or
 * {@code PublicKeyCredentialRequestOptionsJSON}: base64url strings, no {@code publicKey} wrapper). Immutable.
 */
public record PasskeyOptions(String ceremonyId, String optionsJson) {
    public PasskeyOptions {
        Objects.requireNonNull(ceremonyId, "null ceremonyId");
        Objects.requireNonNull(optionsJson, "null optionsJson");
    }

    @Override
    public String toString() {
        return "PasskeyOptions[" + optionsJson + "]"; // the ceremony id is a bearer secret until it is used
    }
}
