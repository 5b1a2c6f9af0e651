package io.github.accounts.core.signin;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.passkey.WebAuthn;
import io.github.accounts.core.password.PasswordConfirmation;
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
 * The proofs a signed-in session gives for the changes that need one (what each change requires is
 * {@link RecentAuthentication}'s, asked through {@code FlowContext.beforeAddingWayIn} and
 * {@code beforeRemovingWayIn}): its password, a TOTP code or a passkey assertion. Each proof is counted in the
 * account's sign-in throttle like a password and taken back when it passes; one that passes is recorded on the
 * session ({@link RecentAuthentication}) in the transaction that judged it. Thread-safe.
 */
public final class ReauthenticationFlows implements Reauthentication {
    private final Transactions tx;
    private final RecentAuthentication recent;
    private final PasswordRules passwordRules;
    private final PasswordConfirmation confirmation;
    private final SecondFactor factor;
    private final WebAuthn passkeys;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final Clock clock;

    public ReauthenticationFlows(FlowContext ctx, SecondFactor factor, WebAuthn passkeys) {
        this.tx = ctx.tx();
        this.recent = ctx.recent();
        this.passwordRules = ctx.passwordRules();
        this.confirmation = ctx.confirmation();
        this.factor = factor;
        this.passkeys = passkeys;
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.clock = ctx.clock();
    }

    /** Proves the session with the account's password; {@code wrong_password} or {@code throttled} otherwise. */
    @Override
    public Instant withPassword(Authenticated current, String password) {
        passwordRules.checkPresented("password", password).ifPresent(e -> {
            throw AccountsException.invalid(List.of(e));
        });
        // the password itself, even for an account without one (wrong_password): a proof must not renew itself
        confirmation.confirm(current.userId(), current.user().email(), password);
        return tx.inTransaction(em -> recent.proved(em, current.sessionId()));
    }

    /**
     * Proves the session with a TOTP code (spent, as at sign-in: a code is never taken twice); a recovery code is
     * no proof here. {@code invalid_mfa_code} for a wrong, reused or expired one, or while TOTP is off.
     */
    @Override
    public Instant withCode(Authenticated current, String code) {
        if (factor == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "This server offers no second factor.");
        }
        FieldError.requirePresent("code", code);
        return judged(current, em -> SecondFactor.isTotpShaped(code)
                && SecondFactor.TOTP.equals(factor.check(em, current.userId(), code, clock.instant())));
    }

    /** Assertion options for a re-authentication, naming only the user's passkeys. */
    @Override
    public PasskeyOptions passkeyOptions(Authenticated current) {
        WebAuthn p = requirePasskeys();
        return tx.inTransaction(em -> p.beginReauthentication(em, current.userId()));
    }

    /**
     * Proves the session with an assertion answering {@link #passkeyOptions}; {@code invalid_ceremony} for a ceremony
     * that is not live or not the user's, {@code invalid_mfa_code} for an assertion that does not verify, is not one
     * of the user's passkeys or whose counter went back.
     */
    @Override
    public Instant withPasskey(Authenticated current, String ceremonyId, String credentialJson) {
        List<FieldError> errors = new ArrayList<>();
        FieldError.missing("ceremony_id", ceremonyId).ifPresent(errors::add);
        FieldError.missing("credential", credentialJson).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        WebAuthn.SecondStep assertion = requirePasskeys().verifyReauthentication(current.userId(), ceremonyId,
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
            throw SecondFactor.invalidCode();
        }
        return until;
    }

    private WebAuthn requirePasskeys() {
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
