package io.github.accounts.core;

import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.passkey.Passkeys;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.RecentAuthentication;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The account-security model of factor changes, in one place: what each change to the account's ways in requires
 * ({@link #beforeAddingWayIn}, {@link #beforeRemovingWayIn}, {@link #requireVerifiedEmail}), and the proofs a
 * signed-in session gives to meet it: its password, a TOTP code or a passkey assertion. Each proof is counted in the
 * account's sign-in throttle like a password and taken back when it passes; one that passes is recorded on the
 * session ({@link RecentAuthentication}) in the transaction that judged it. Thread-safe.
 */
final class Reauthentication {
    private final Transactions tx;
    private final RecentAuthentication recent;
    private final PasswordRules passwordRules;
    private final PasswordConfirmation confirmation;
    private final SecondFactor factor;
    private final Passkeys passkeys;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final Clock clock;

    Reauthentication(Transactions tx, RecentAuthentication recent, PasswordRules passwordRules,
                     PasswordConfirmation confirmation, SecondFactor factor, Passkeys passkeys,
                     SignInThrottle throttle, ThrottleKeys keys, Clock clock) {
        this.tx = tx;
        this.recent = recent;
        this.passwordRules = passwordRules;
        this.confirmation = confirmation;
        this.factor = factor;
        this.passkeys = passkeys;
        this.throttle = throttle;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Before a way in that would outlive a password reset (a passkey, a linked identity): a verified email and a
     * proof by this session within the proof window.
     */
    void beforeAddingWayIn(Authenticated current) {
        requireVerifiedEmail(current);
        tx.read(em -> {
            recent.requireProof(em, current);
            return null;
        });
    }

    /** Before removing a way in (or exporting the account): a sign-in or proof within the sign-in window. */
    void beforeRemovingWayIn(Authenticated current) {
        tx.read(em -> {
            recent.requireSignInOrProof(em, current);
            return null;
        });
    }

    /** A second factor or passkey is added only to an account whose email is verified: the inbox is its recovery. */
    static void requireVerifiedEmail(Authenticated current) {
        if (!current.user().emailVerified()) {
            throw AccountsException.of(ErrorCode.EMAIL_NOT_VERIFIED,
                    "Verify your email address first: it is how you recover the account.");
        }
    }

    /** Proves the session with the account's password; {@code wrong_password} or {@code throttled} otherwise. */
    Instant withPassword(Authenticated current, String password) {
        passwordRules.checkPresented("password", password).ifPresent(e -> {
            throw AccountsException.invalid(List.of(e));
        });
        confirmation.confirm(current, password);
        return tx.inTransaction(em -> recent.proved(em, current.sessionId()));
    }

    /**
     * Proves the session with a TOTP code (spent, as at sign-in: a code is never taken twice); a recovery code is
     * no proof here. {@code invalid_mfa_code} for a wrong, reused or expired one, or while TOTP is off.
     */
    Instant withCode(Authenticated current, String code) {
        if (factor == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "This server offers no second factor.");
        }
        FieldError.requirePresent("code", code);
        return judged(current, em -> SecondFactor.isTotpShaped(code)
                && SecondFactor.TOTP.equals(factor.check(em, current.userId(), code, clock.instant())));
    }

    /** Assertion options for a re-authentication, naming only the user's passkeys. */
    PasskeyOptions passkeyOptions(Authenticated current) {
        Passkeys p = requirePasskeys();
        return tx.inTransaction(em -> p.beginReauthentication(em, current.userId()));
    }

    /**
     * Proves the session with an assertion answering {@link #passkeyOptions}; {@code invalid_ceremony} for a ceremony
     * that is not live or not the user's, {@code invalid_mfa_code} for an assertion that does not verify, is not one
     * of the user's passkeys or whose counter went back.
     */
    Instant withPasskey(Authenticated current, String ceremonyId, String credentialJson) {
        List<FieldError> errors = new ArrayList<>();
        FieldError.missing("ceremony_id", ceremonyId).ifPresent(errors::add);
        FieldError.missing("credential", credentialJson).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        Passkeys.SecondStep assertion = requirePasskeys().verifyReauthentication(current.userId(), ceremonyId,
                credentialJson);
        return judged(current, assertion::accept);
    }

    /**
     * One attempt, in one transaction: counted in the throttle before it is judged (a refusal returns, so that the
     * count commits), taken back and recorded on the session when it passes.
     */
    private Instant judged(Authenticated current, Proof proof) {
        String accountKey = keys.account(SignInThrottle.SIGN_IN, current.user().email());
        Instant until = tx.inTransaction(em -> {
            throttle.reserve(em, accountKey, null);
            if (!proof.passes(em)) {
                return null;
            }
            throttle.release(em, accountKey, null);
            return recent.proved(em, current.sessionId());
        });
        if (until == null) {
            throw MfaFlows.invalidCode();
        }
        return until;
    }

    private Passkeys requirePasskeys() {
        if (passkeys == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "Passkeys are not set up on this server.");
        }
        return passkeys;
    }

    @FunctionalInterface
    private interface Proof {
        boolean passes(EntityManager em);
    }
}
