package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.accounts.core.event.AccountEvent;

import java.time.Instant;
import java.util.Map;

/** The contract's Event shape: every field present, null when unknown, {@code detail} an object. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventBody(long id, String type, Instant at, Long sessionId, String ip, String userAgent,
                        Map<String, Object> detail) {
    public static EventBody of(AccountEvent e) {
        return new EventBody(e.id(), e.type(), e.at(), e.sessionId(), e.ip(), e.userAgent(), e.detail());
    }
}
