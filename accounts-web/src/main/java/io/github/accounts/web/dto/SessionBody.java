package io.github.accounts.web.dto;

/** The session object of an issuing answer: with its tokens (bearer transport) or its CSRF token (cookie transport). */
public sealed interface SessionBody permits IssuedSessionBody, CookieSessionBody {
    long id();
}
