package io.github.accounts.core.signin;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.mfa.MfaChallenge;
import io.github.accounts.core.mfa.RecoveryCode;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.passkey.WebAuthn;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.MfaRequired;
import io.github.accounts.core.session.SignedIn;
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
 * the throttle, spends the token and issues the session. A passkey does the same with an assertion
 * ({@link #passkeyOptions}, {@link #completeWithPasskey}): one that does not verify, is another user's, whose counter
 * went back or whose ceremony another {@code mfa_token} began counts as a wrong code; its counter moves in the
 * completing transaction. Thread-safe.
 */
final class SecondStepFlows {
    /** The {@code methods} entry, and the sign-in event's {@code mfa}, of a passkey. */
    static final String PASSKEY = "passkey";

    private final Transactions tx;
    private final SecondFactor factor;
    private final WebAuthn passkeys;
    private final Tokens tokens;
    private final UserSessions sessions;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final EventLog events;
    private final AccountRecovery recovery;
    private final Clock clock;

    SecondStepFlows(FlowContext ctx, SecondFactor factor, WebAuthn passkeys) {
        this.tx = ctx.tx();
        this.factor = factor;
        this.passkeys = passkeys;
        this.tokens = ctx.tokens();
        this.sessions = ctx.sessions();
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.events = ctx.events();
        this.recovery = ctx.recovery();
        this.clock = ctx.clock();
    }

    /** A new second step for {@code user}, in the caller's transaction (the sign-in's write). */
    /**
     * {@code firstMethod}: the sign-in's first factor, named again by the completed sign-in's event; when it was the
     * inbox ({@code email_link}, {@code email_code}) its proof counts (the email marked verified, an unverified
     * account claimed) only once this step completes.
     */
    MfaRequired challenge(EntityManager em, User user, String firstMethod) {
        String token = tokens.generate();
        MfaChallenge challenge = new MfaChallenge(user.getId(), Tokens.digest(token), clock.instant(), firstMethod);
        em.persist(challenge);
        return new MfaRequired(token, methods(em, user.getId()), challenge.expiresAt());
    }

    /** What the user can complete a second step with. */
    private List<String> methods(EntityManager em, long userId) {
        List<String> methods = new ArrayList<>(List.of(SecondFactor.TOTP));
        if (RecoveryCode.remaining(em, userId) > 0) {
            methods.add(SecondFactor.RECOVERY_CODE);
        }
        if (passkeys != null && passkeys.has(em, userId)) {
            methods.add(PASSKEY);
        }
        return methods;
    }

    SignedIn complete(String mfaToken, String code, ClientInfo client) {
        List<FieldError> errors = new ArrayList<>();
        FieldError.missing("mfa_token", mfaToken).ifPresent(errors::add);
        FieldError.missing("code", code).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        requireFactor();
        return judged(mfaToken, client, (em, userId, now) -> factor.check(em, userId, code, now));
    }

    /** Assertion options for the second step of {@code mfaToken}'s user; {@code invalid_mfa_token} if it is dead. */
    PasskeyOptions passkeyOptions(String mfaToken) {
        FieldError.requirePresent("mfa_token", mfaToken);
        WebAuthn p = requirePasskeys();
        return tx.inTransaction(em -> p.beginSecondStep(em, liveUserId(em, mfaToken), Tokens.digest(mfaToken)));
    }

    SignedIn completeWithPasskey(String mfaToken, String ceremonyId, String credentialJson, ClientInfo client) {
        List<FieldError> errors = new ArrayList<>();
        FieldError.missing("mfa_token", mfaToken).ifPresent(errors::add);
        FieldError.missing("ceremony_id", ceremonyId).ifPresent(errors::add);
        FieldError.missing("credential", credentialJson).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        requireFactor();
        WebAuthn p = requirePasskeys();
        long userId = tx.inTransaction(em -> liveUserId(em, mfaToken));
        WebAuthn.SecondStep assertion = p.verifySecondStep(userId, Tokens.digest(mfaToken), ceremonyId, credentialJson);
        return judged(mfaToken, client, (em, owner, now) -> owner == userId && assertion.accept(em) ? PASSKEY : null);
    }

    private SignedIn judged(String mfaToken, ClientInfo client, Check check) {
        String addressKey = keys.address(SignInThrottle.SIGN_IN, client.ip());
        Outcome outcome;
        try {
            outcome = tx.inTransaction(em -> judge(em, mfaToken, check, addressKey, client));
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

    /** The transaction of one attempt: a refusal it returns rather than throws, so that the counting commits. */
    private Outcome judge(EntityManager em, String mfaToken, Check check, String addressKey, ClientInfo client) {
        Instant now = clock.instant();
        MfaChallenge challenge = MfaChallenge.liveLocked(em, mfaToken, now);
        if (challenge == null) {
            throw invalidToken();
        }
        User user = User.require(em, challenge.userId());
        String accountKey = keys.account(SignInThrottle.SIGN_IN, user.getEmail());
        throttle.reserve(em, accountKey, addressKey);
        String method = check.method(em, user.getId(), now);
        if (method == null) {
            challenge.failed(em, now);
            events.record(em, user.getId(), AccountEvent.SIGN_IN_FAILED, null, client, Map.of("step", "mfa"));
            return new Outcome(null, SecondFactor.invalidCode());
        }
        if (user.isDisabled()) {
            return new Outcome(null, User.disabled()); // the reservation stays counted, as at the first step
        }
        throttle.succeeded(em, accountKey, addressKey);
        em.remove(challenge);
        if (challenge.provesInbox()) {
            // the inbox's proof counts now that the sign-in is complete: "Claim on first proof"
            recovery.claim(em, user, "email_sign_in", null, client);
        }
        IssuedSession session = sessions.issue(em, user, client);
        if (method.equals(SecondFactor.RECOVERY_CODE)) {
            events.record(em, user.getId(), AccountEvent.MFA_RECOVERY_CODE_USED, session.id(), client,
                    Map.of("remaining", RecoveryCode.remaining(em, user.getId())));
        }
        events.record(em, user.getId(), AccountEvent.SIGNED_IN, session.id(), client,
                challenge.firstMethod() == null ? Map.of("mfa", method)
                        : Map.of("method", challenge.firstMethod(), "mfa", method));
        return new Outcome(new SignedIn(user.toInfo(), session), null);
    }

    private long liveUserId(EntityManager em, String mfaToken) {
        MfaChallenge challenge = MfaChallenge.liveLocked(em, mfaToken, clock.instant());
        if (challenge == null) {
            throw invalidToken();
        }
        return challenge.userId();
    }

    private void requireFactor() {
        if (factor == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "This server offers no second factor.");
        }
    }

    private WebAuthn requirePasskeys() {
        if (passkeys == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "Passkeys are not set up on this server.");
        }
        return passkeys;
    }

    private static AccountsException invalidToken() {
        return AccountsException.of(ErrorCode.INVALID_MFA_TOKEN,
                "The sign-in step is unknown, expired or used up; sign in with your password again.");
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

    /** What one attempt proves: the method it succeeded with, or null for a wrong one. */
    @FunctionalInterface
    private interface Check {
        String method(EntityManager em, long userId, Instant now);
    }

    private record Outcome(SignedIn signedIn, AccountsException refusal) {
    }
}
