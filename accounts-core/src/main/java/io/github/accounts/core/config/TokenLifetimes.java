package io.github.accounts.core.config;

import java.time.Duration;

/** How long single-use emailed tokens stay valid. */
public record TokenLifetimes(Duration passwordReset, Duration emailVerification) {
    public TokenLifetimes {
        SessionLifetimes.positive(passwordReset, "passwordReset");
        SessionLifetimes.positive(emailVerification, "emailVerification");
    }
}
