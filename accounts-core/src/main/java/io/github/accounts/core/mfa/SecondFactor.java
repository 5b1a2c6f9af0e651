package io.github.accounts.core.mfa;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import jakarta.persistence.EntityManager;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Checks a code a user presents as their second factor, inside the caller's transaction: a TOTP code (its step
 * then spent, and a secret under an older key sealed again under the current one) or one of their recovery codes
 * (then used up). Thread-safe.
 */
public final class SecondFactor {
    public static final String TOTP = "totp";
    public static final String RECOVERY_CODE = "recovery_code";

    private final TotpKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecondFactor(TotpKeys keys) {
        this.keys = keys;
    }

    public TotpKeys keys() {
        return keys;
    }

    /** A new random 160-bit secret, as RFC 4226 recommends. */
    public byte[] newSecret() {
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        return secret;
    }

    /** Replaces the user's recovery codes with a fresh set, returned in clear this once. */
    public List<String> newRecoveryCodes(EntityManager em, long userId, Instant now) {
        return RecoveryCode.newSet(em, keys, random, userId, now);
    }

    /**
     * The method {@code code} passed for the user with confirmed TOTP, {@link #TOTP} or {@link #RECOVERY_CODE}; null
     * for a wrong, reused or expired code, or when TOTP is not on. Takes the credential's row lock, so that of two
     * concurrent uses of one code only one succeeds.
     */
    public String check(EntityManager em, long userId, String code, Instant now) {
        TotpCredential credential = TotpCredential.lockedOf(em, userId);
        if (credential == null || !credential.isConfirmed()) {
            return null;
        }
        String trimmed = code.strip();
        if (isTotpShaped(trimmed)) {
            return verifyTotp(credential, userId, trimmed, now) ? TOTP : null;
        }
        return RecoveryCode.use(em, keys, userId, trimmed) ? RECOVERY_CODE : null;
    }

    /** Whether {@link #check} judges {@code code} as a TOTP code (six digits) rather than as a recovery code. */
    public static boolean isTotpShaped(String code) {
        return code != null && Totp.plausible(code.strip());
    }

    /** Checks a TOTP code against the credential (pending or not) and spends its step; false if it does not pass. */
    public boolean verifyTotp(TotpCredential credential, long userId, String code, Instant now) {
        byte[] secret = keys.open(userId, credential.sealed());
        OptionalLong step = Totp.verify(secret, code, now, credential.lastStep());
        if (step.isEmpty()) {
            return false;
        }
        credential.accepted(step.getAsLong(), now);
        if (keys.isOlder(credential.sealed().keyId())) {
            credential.reseal(keys.seal(userId, secret), now);
        }
        return true;
    }

    /** The refusal of a wrong, reused or expired code, wherever one is judged. */
    public static AccountsException invalidCode() {
        return AccountsException.of(ErrorCode.INVALID_MFA_CODE, "The code is not correct.");
    }
}
