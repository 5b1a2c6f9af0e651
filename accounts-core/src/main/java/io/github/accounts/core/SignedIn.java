package io.github.accounts.core;

/** The outcome of sign-up or sign-in: who, and their new session. */
public record SignedIn(UserInfo user, IssuedSession session) {
}
