// Over 300 lines: sign-up and sign-in share their throttle, timing and session writes, and read best together.
package io.github.accounts.core.signin;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.metrics.SignInMethod;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.passkey.WebAuthn;
import io.github.accounts.core.password.PasswordHasher;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.MfaRequired;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserRules;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sign-up and sign-in: the flows that end in a new session. Sign-ups are limited per client address
 * ({@link ThrottleLimits#signUps()}), invalid ones included, and counted before the password's strength is
 * estimated, which only otherwise valid input reaches; sign-ins are throttled per email and per address. Each
 * reads what it needs in one short transaction, hashes outside any, and writes in one more. Thread-safe.
 */
public final class SignInFlows implements SignIns {
    private static final String SIGN_UP = "sign-up";
    /** The {@code detail.method} of a password sign-in's events. */
    private static final String METHOD_PASSWORD = "password";
    private static final Map<String, Object> PASSWORD = Map.of("method", METHOD_PASSWORD);

    private final Transactions tx;
    private final PasswordHasher hasher;
    private final PasswordRules passwordRules;
    private final UserSessions sessions;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final ThrottleLimits limits;
    private final EventLog events;
    private final Clock clock;
    private final SecondStepFlows secondStep;
    private final Metrics metrics;

    public SignInFlows(FlowContext ctx, SecondFactor factor, WebAuthn passkeys) {
        this.tx = ctx.tx();
        this.hasher = ctx.hasher();
        this.passwordRules = ctx.passwordRules();
        this.sessions = ctx.sessions();
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.limits = ctx.config().throttling();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.secondStep = new SecondStepFlows(ctx, factor, passkeys);
        this.metrics = ctx.metrics();
    }

    @Override
    public SignedIn signUp(NewUser input, ClientInfo client) {
        Objects.requireNonNull(input, "null input");
        ClientInfo from = ClientInfo.required(client);
        return metrics.signUp(() -> signUpOnce(input, from));
    }

    private SignedIn signUpOnce(NewUser input, ClientInfo client) {
        List<FieldError> errors = new ArrayList<>();
        String email = UserRules.email(input.email(), errors);
        String fname = UserRules.name("fname", input.fname(), errors);
        String lname = UserRules.name("lname", input.lname(), errors);
        passwordRules.checkLength("password", input.password()).ifPresent(errors::add);
        boolean valid = errors.isEmpty();
        String addressKey = keys.address(SIGN_UP, client.ip());
        // Counted before any costly check: an invalid sign-up or a 409 counts as much as a new account.
        boolean taken = (addressKey != null || valid) && tx.inTransaction(em -> {
            if (addressKey != null) {
                throttle.rate(em, addressKey, limits.signUps());
            }
            return valid && User.byEmail(em, email).isPresent();
        });
        if (valid) { // the strength estimate (~3 ms) only for input that is otherwise valid
            passwordRules.check("password", input.password(), email, fname, lname).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        if (taken) {
            throw emailTaken(); // spares the hash; the unique index still decides races below
        }
        String digest = hasher.hash(input.password());
        return tx.inTransaction(em -> {
            Instant now = clock.instant();
            // Two sign-ups with one email may race here: the loser's insert is an answer (409), not a logged error.
            long id = Jdbc.insertUnlessDuplicate(em, """
                            insert into users (email, fname, lname, password_digest, created_at, updated_at)
                            values (?, ?, ?, ?, ?, ?)""", email, fname, lname, digest, now, now)
                    .orElseThrow(SignInFlows::emailTaken);
            User user = em.find(User.class, id);
            IssuedSession session = sessions.issue(em, user, client);
            events.record(em, id, AccountEvent.USER_SIGNED_UP, session.id(), client, Map.of());
            return new SignedIn(user.toInfo(), session);
        });
    }

    /**
     * One transaction before hashing reads the user and reserves the attempt (counted as a failure up front, so a
     * burst is judged at most up to the limit), recording it as a {@code session.sign_in_failed} event with the
     * count; one after it writes the session, takes the reservation back and turns that event into
     * {@code session.signed_in}. A failure writes nothing more: it was counted, and recorded, already.
     */
    @Override
    public SignedIn signIn(String email, String password, ClientInfo client) {
        ClientInfo from = ClientInfo.required(client);
        return metrics.signIn(SignInMethod.PASSWORD, () -> signInOnce(email, password, from),
                SignedIn::needsSecondFactor);
    }

    private SignedIn signInOnce(String email, String password, ClientInfo client) {
        String normalised = validSignIn(email, password);
        String accountKey = keys.account(SignInThrottle.SIGN_IN, normalised);
        String addressKey = keys.address(SignInThrottle.SIGN_IN, client.ip());
        Attempt attempt = reserve(normalised, accountKey, addressKey, client);
        PasswordHasher.Verification check = judge(password, attempt, accountKey, addressKey);
        if (!check.matches()) {
            if (attempt.event() != null) {
                events.publish(attempt.event());
            }
            throw invalidCredentials();
        }
        String upgraded = check.needsRehash() ? rehash(password) : null;
        try {
            return succeed(attempt, upgraded, accountKey, addressKey, client);
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.ACCOUNT_DISABLED) {
                events.publish(attempt.event()); // the reservation stays counted: throttling still applies
            }
            throw e;
        }
    }

    /**
     * The write after a matching password: the session, the reservation taken back, the event settled. With a second
     * factor on, no session yet: the reservation is taken back without forgetting earlier failures (wrong codes
     * count there too) and the second step is returned.
     */
    private SignedIn succeed(Attempt attempt, String upgraded, String accountKey, String addressKey,
                             ClientInfo client) {
        Credentials found = attempt.credentials();
        return tx.inTransaction(em -> {
            User user = em.find(User.class, found.userId()); // by primary key, in the write
            if (user == null) {
                throw invalidCredentials(); // deleted while we hashed
            }
            if (user.isDisabled()) {
                throw User.disabled();
            }
            if (upgraded != null && found.digest().equals(user.getPasswordDigest())) {
                user.changePasswordDigest(upgraded, clock.instant());
            }
            if (user.isMfaEnabled()) {
                throttle.release(em, accountKey, addressKey);
                events.settle(em, attempt.event(), AccountEvent.MFA_REQUIRED, null, PASSWORD);
                return new SignedIn(user.toInfo(), null, secondStep.challenge(em, user, METHOD_PASSWORD));
            }
            throttle.succeeded(em, accountKey, addressKey);
            IssuedSession session = sessions.issue(em, user, client);
            events.settle(em, attempt.event(), AccountEvent.SIGNED_IN, session.id(), PASSWORD);
            return new SignedIn(user.toInfo(), session);
        });
    }

    /**
     * The reservation; a refused one is recorded for a known account, then thrown: as a {@code session.throttled}
     * event per throttle window whose {@code attempts} counts the refusals (see {@link EventLog#recordOrCount}).
     */
    private Attempt reserve(String normalised, String accountKey, String addressKey, ClientInfo client) {
        try {
            return tx.inTransaction(em -> {
                throttle.reserve(em, accountKey, addressKey);
                Credentials found = User.byEmail(em, normalised).map(Credentials::of).orElse(null);
                AccountEvent pending = found == null ? null : events.recordUnpublished(em, found.userId(),
                        AccountEvent.SIGN_IN_FAILED, null, client, Map.of());
                return new Attempt(found, pending);
            });
        } catch (AccountsException e) {
            if (e.code() == ErrorCode.THROTTLED) {
                // Refused before any work: the reservation rolled back, so this is a transaction of its own.
                // One row per account and throttle window, counting the attempts: a flood is not a flood of rows.
                tx.inTransaction(em -> {
                    User.byEmail(em, normalised).ifPresent(user -> {
                        throttle.lock(em, accountKey);
                        events.recordOrCount(em, user.getId(), AccountEvent.THROTTLED, client, limits.window());
                    });
                    return null;
                });
            }
            throw e;
        }
    }

    /** The normalised email of a well-formed sign-in, or {@code validation_failed}. */
    private String validSignIn(String email, String password) {
        List<FieldError> errors = new ArrayList<>();
        if (email == null || email.isBlank()) {
            errors.add(FieldError.required("email"));
        }
        passwordRules.checkPresented("password", password).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        return UserRules.normaliseEmail(email);
    }

    /**
     * Verifies the password (against a dummy digest for an unknown email, at the same cost); an attempt the
     * bulkhead refuses was never judged, so its reservation is taken back.
     */
    private PasswordHasher.Verification judge(String password, Attempt attempt, String accountKey,
                                              String addressKey) {
        Credentials found = attempt.credentials();
        try {
            // an account without a password (a provider made it) costs the same hash and fails as a wrong password
            return found == null || found.digest() == null ? hasher.verifyAgainstNobody(password)
                    : hasher.verify(password, found.digest());
        } catch (AccountsException notJudged) {
            tx.inTransaction(em -> {
                throttle.release(em, accountKey, addressKey);
                if (attempt.event() != null) {
                    events.discard(em, attempt.event());
                }
                return null;
            });
            throw notJudged;
        }
    }

    /** A legacy digest's replacement, or null when the bulkhead is full: the upgrade waits for the next sign-in. */
    private String rehash(String password) {
        try {
            return hasher.hash(password);
        } catch (AccountsException overloaded) {
            return null;
        }
    }

    @Override
    public SignedIn completeSignIn(String mfaToken, String code, ClientInfo client) {
        SignInMethod method = SecondFactor.isTotpShaped(code) ? SignInMethod.TOTP : SignInMethod.RECOVERY_CODE;
        ClientInfo from = ClientInfo.required(client);
        return metrics.signIn(method, () -> secondStep.complete(mfaToken, code, from), SignedIn::needsSecondFactor);
    }

    @Override
    public PasskeyOptions secondStepPasskeyOptions(String mfaToken) {
        return secondStep.passkeyOptions(mfaToken);
    }

    @Override
    public SignedIn completeSignInWithPasskey(String mfaToken, String ceremonyId, String credentialJson,
                                              ClientInfo client) {
        ClientInfo from = ClientInfo.required(client);
        return metrics.signIn(SignInMethod.PASSKEY,
                () -> secondStep.completeWithPasskey(mfaToken, ceremonyId, credentialJson, from),
                SignedIn::needsSecondFactor);
    }

    /**
     * Begins the second step for {@code user} after another first factor {@code firstMethod} (the inbox for an email
     * sign-in, {@code email_link} or {@code email_code}, whose proof then counts only once the second step completes;
     * a provider's, {@code federated}), in the caller's transaction: the {@code mfa_token} that
     * {@link #completeSignIn} then takes.
     */
    public MfaRequired secondStep(EntityManager em, User user, String firstMethod) {
        return secondStep.challenge(em, user, firstMethod);
    }

    /** Deletes up to {@code batch} expired second steps; returns how many. */
    public int purgeExpired(int batch) {
        return secondStep.purgeExpired(batch);
    }

    private static AccountsException invalidCredentials() {
        return AccountsException.of(ErrorCode.INVALID_CREDENTIALS, "The email or password is not correct.");
    }

    private static AccountsException emailTaken() {
        return AccountsException.of(ErrorCode.EMAIL_TAKEN, "An account with this email already exists.");
    }

    /**
     * A reserved sign-in: the user's credentials and the event recording it as failed; both null for an unknown
     * email.
     */
    record Attempt(Credentials credentials, AccountEvent event) {
    }

    /** What sign-in needs of a user, read before hashing so the hash runs outside any transaction. */
    record Credentials(long userId, String digest) {
        static Credentials of(User user) {
            return new Credentials(user.getId(), user.getPasswordDigest());
        }
    }
}
