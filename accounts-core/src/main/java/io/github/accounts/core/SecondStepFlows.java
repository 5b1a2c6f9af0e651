package io.github.accounts.core;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.mfa.MfaChallenge;
import io.github.accounts.core.mfa.RecoveryCode;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The second step of a sign-in for users with TOTP on: the right password gets an {@code mfa_token}
 * ({@link #challenge}), and the token with a TOTP or recovery code gets the session ({@link #complete}). A code is
 * judged in one transaction that holds the token's row lock: the attempt is counted in the account's sign-in
 * throttle like a password, a wrong code is also counted on the token (five and it is dead), a right one resets
 * the throttle, spends the token and issues the session. Thread-safe.
 */
final class SecondStepFlows {
    private final Transactions tx;
    private final SecondFactor factor;
    private final Tokens tokens;
    private final UserSessions sessions;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final EventLog events;
    private final Clock clock;

    SecondStepFlows(Transactions tx, SecondFactor factor, Tokens tokens, UserSessions sessions,
                    SignInThrottle throttle, ThrottleKeys keys, EventLog events, Clock clock) {
        this.tx = tx;
        this.factor = factor;
        this.tokens = tokens;
        this.sessions = sessions;
        this.throttle = throttle;
        this.keys = keys;
        this.events = events;
        this.clock = clock;
    }

    /** A new second step for {@code user}, in the caller's transaction (the sign-in's write). */
    MfaRequired challenge(EntityManager em, User user) {
        String token = tokens.generate();
        MfaChallenge challenge = new MfaChallenge(user.getId(), Tokens.digest(token), clock.instant());
        em.persist(challenge);
        return new MfaRequired(token, methods(em, user.getId()), challenge.expiresAt());
    }

    /** What the user can complete a second step with. */
    private static List<String> methods(EntityManager em, long userId) {
        List<String> methods = new ArrayList<>(List.of(SecondFactor.TOTP));
        if (RecoveryCode.remaining(em, userId) > 0) {
            methods.add(SecondFactor.RECOVERY_CODE);
        }
        return methods;
    }

    SignedIn complete(String mfaToken, String code, ClientInfo client) {
        List<FieldError> errors = new ArrayList<>();
        if (mfaToken == null || mfaToken.isEmpty()) {
            errors.add(new FieldError("mfa_token", "required", "mfa_token is required."));
        }
        if (code == null || code.isEmpty()) {
            errors.add(new FieldError("code", "required", "code is required."));
        }
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        if (factor == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "This server offers no second factor.");
        }
        String addressKey = keys.address(SignInThrottle.SIGN_IN, client.ip());
        Outcome outcome;
        try {
            outcome = tx.inTransaction(em -> judge(em, mfaToken, code, addressKey, client));
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.THROTTLED) {
                recordThrottled(mfaToken, client); // refused before any work: the transaction rolled back
            }
            throw e;
        }
        if (outcome.signedIn() == null) {
            throw outcome.refusal();
        }
        return outcome.signedIn();
    }

    /** The transaction of one code: a refusal it returns rather than throws, so that the counting commits. */
    private Outcome judge(EntityManager em, String mfaToken, String code, String addressKey, ClientInfo client) {
        Instant now = clock.instant();
        MfaChallenge challenge = MfaChallenge.liveLocked(em, mfaToken, now);
        if (challenge == null) {
            throw AccountsException.of(ErrorCode.INVALID_MFA_TOKEN,
                    "The sign-in step is unknown, expired or used up; sign in with your password again.");
        }
        User user = User.require(em, challenge.userId());
        String accountKey = keys.account(SignInThrottle.SIGN_IN, user.getEmail());
        throttle.reserve(em, accountKey, addressKey);
        String method = factor.check(em, user.getId(), code, now);
        if (method == null) {
            challenge.failed(em, now);
            events.record(em, user.getId(), AccountEvent.SIGN_IN_FAILED, null, client, Map.of("step", "mfa"));
            return new Outcome(null, MfaFlows.invalidCode());
        }
        if (user.isDisabled()) {
            return new Outcome(null, User.disabled()); // the reservation stays counted, as at the first step
        }
        throttle.succeeded(em, accountKey, addressKey);
        em.remove(challenge);
        IssuedSession session = sessions.issue(em, user, client);
        if (method.equals(SecondFactor.RECOVERY_CODE)) {
            events.record(em, user.getId(), AccountEvent.MFA_RECOVERY_CODE_USED, session.id(), client,
                    Map.of("remaining", RecoveryCode.remaining(em, user.getId())));
        }
        events.record(em, user.getId(), AccountEvent.SIGNED_IN, session.id(), client, Map.of("mfa", method));
        return new Outcome(new SignedIn(user.toInfo(), session), null);
    }

    private void recordThrottled(String mfaToken, ClientInfo client) {
        tx.inTransaction(em -> {
            MfaChallenge challenge = MfaChallenge.liveLocked(em, mfaToken, clock.instant());
            if (challenge != null) {
                events.record(em, challenge.userId(), AccountEvent.THROTTLED, null, client, Map.of("step", "mfa"));
            }
            return null;
        });
    }

    /** Deletes up to {@code batch} expired second steps; returns how many. */
    int purgeExpired(int batch) {
        return tx.inTransaction(em -> MfaChallenge.purgeExpired(em, clock.instant(), batch));
    }

    private record Outcome(SignedIn signedIn, AccountsException refusal) {
    }
}
