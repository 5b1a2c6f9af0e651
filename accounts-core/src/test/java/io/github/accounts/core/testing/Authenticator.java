package io.github.accounts.core.testing;

import io.github.accounts.core.mfa.Totp;
import org.apache.commons.codec.binary.Base32;

import java.time.Clock;

/** An authenticator app for tests: the codes of a base32 secret, as a phone would show them. Thread-safe. */
public final class Authenticator {
    private final byte[] secret;

    public Authenticator(String base32Secret) {
        this.secret = new Base32().decode(base32Secret);
    }

    /** The code {@code clock} shows now. */
    public String code(Clock clock) {
        return Totp.code(secret, Totp.step(clock.instant()));
    }

    /** The code of {@code steps} steps from {@code clock}'s (e.g. -1 for the one before). */
    public String code(Clock clock, int steps) {
        return Totp.code(secret, Totp.step(clock.instant()) + steps);
    }
}
