package io.github.accounts.web.dto;

import java.time.Instant;

/**
 * The session as issued in cookie transport: its tokens travel only in {@code HttpOnly} cookies, so the body
 * carries the CSRF token that unsafe requests must echo in {@code X-CSRF-Token}.
 */
public record CookieSessionBody(long id, Instant expiresAt, Instant refreshExpiresAt, String csrfToken)
        implements SessionBody {
}
