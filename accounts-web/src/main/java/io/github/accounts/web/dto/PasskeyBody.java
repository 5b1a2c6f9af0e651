package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.passkey.PasskeyInfo;

import java.time.Instant;
import java.util.List;

/** The contract's Passkey shape; {@code last_used_at} is null until its first sign-in. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PasskeyBody(long id, String name, Instant createdAt, Instant lastUsedAt, List<String> transports) {
    public static PasskeyBody of(PasskeyInfo p) {
        return new PasskeyBody(p.id(), p.name(), p.createdAt(), p.lastUsedAt(), p.transports());
    }

    /** {@code {"passkey"}}. */
    public record Envelope(PasskeyBody passkey) {
    }

    /** {@code {"passkeys": [...]}}. */
    public record PasskeyList(List<PasskeyBody> passkeys) {
    }

    /** {@code {"ceremony_id", "options"}}: {@code options} is WebAuthn Level 3 JSON, passed on as it is. */
    public record Ceremony(String ceremonyId, JsonNode options) {
    }
}
