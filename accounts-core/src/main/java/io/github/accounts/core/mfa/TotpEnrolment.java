package io.github.accounts.core.mfa;

import io.github.accounts.core.Accounts;

/**
 * A started TOTP enrolment: the secret in base32 (160 bits) and the {@code otpauth://} URI authenticator apps read
 * from a QR code. TOTP turns on once {@link Accounts#mfa()} gets a first code. Immutable.
 */
public record TotpEnrolment(String secret, String otpauthUri) {
    @Override
    public String toString() {
        return "TotpEnrolment[secret hidden]";
    }
}
