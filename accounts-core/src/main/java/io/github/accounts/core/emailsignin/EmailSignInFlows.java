package io.github.accounts.core.emailsignin;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.emailsignin.PendingSignIns.Account;
import io.github.accounts.core.emailsignin.PendingSignIns.Pending;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.mail.MailKind;
import io.github.accounts.core.mail.MailOutbox;
import io.github.accounts.core.mail.MailTemplates;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.metrics.SignInMethod;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.MfaRequired;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserRules;
import jakarta.persistence.EntityManager;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sign-in by email. A request does the same work for every address (a token and a code made and digested, the
 * account looked up, the pending sign-in replaced by the same two statements, the mail budget spent, one mail queued
 * for the outbox's thread), so neither the answer nor its time tells known addresses from unknown ones; only a
 * disabled account gets no mail. A confirmation is judged in one transaction that counts it in the sign-in throttle
 * first, as a password is, and returns rather than throws a refusal, so that the counting commits. The first proof
 * of an unverified inbox claims the account ({@link AccountRecovery#claim}). Thread-safe.
 */
public final class EmailSignInFlows implements EmailSignIn {
    static final Duration LINK_LIFETIME = Duration.ofMinutes(15);
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** The throttle kind of requests, and the mail kind they are named by. */
    private static final String REQUEST = "email-sign-in";
    private static final String MAIL = "email_sign_in";

    private final boolean enabled;
    private final Transactions tx;
    private final Tokens tokens;
    private final ThrottleKeys keys;
    private final SignInThrottle throttle;
    private final ThrottleLimits limits;
    private final MailOutbox outbox;
    private final EventLog events;
    private final UserSessions sessions;
    private final AccountRecovery recovery;
    private final SecondStep secondStep;
    private final Metrics metrics;
    private final Clock clock;
    private final PendingSignIns pending = new PendingSignIns();
    private final SecureRandom random = new SecureRandom();

    /**
     * {@code secondStep} begins the second step of a sign-in in the caller's transaction (the sign-in package's).
     * The outbox writes the mail: its link opens the public URL, {@code /#email-sign-in-token=...}, or the mail has
     * the code alone.
     */
    public EmailSignInFlows(FlowContext ctx, MailOutbox outbox, SecondStep secondStep, boolean enabled) {
        this.enabled = enabled;
        this.tx = ctx.tx();
        this.tokens = ctx.tokens();
        this.keys = ctx.keys();
        this.throttle = ctx.throttle();
        this.limits = ctx.config().throttling();
        this.outbox = outbox;
        this.events = ctx.events();
        this.sessions = ctx.sessions();
        this.recovery = ctx.recovery();
        this.secondStep = secondStep;
        this.metrics = ctx.metrics();
        this.clock = ctx.clock();
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void request(String rawEmail, ClientInfo given) {
        requireEnabled();
        ClientInfo client = ClientInfo.required(given);
        List<FieldError> errors = new ArrayList<>();
        String email = UserRules.email(rawEmail, errors);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        String token = tokens.generate();
        String code = String.format("%06d", random.nextInt(1_000_000));
        String tokenDigest = Tokens.digest(token);
        String codeDigest = codeDigest(email, code);
        String emailKey = keys.account(REQUEST, email);
        String addressKey = keys.address(REQUEST, client.ip());
        PendingSignIns.Found account = tx.inTransaction(em -> {
            throttle.rate(em, emailKey, limits.emailSignInsPerEmail());
            if (addressKey != null) {
                throttle.rate(em, addressKey, limits.emailSignInsPerAddress());
            }
            PendingSignIns.Found found = pending.account(em, email);
            // Spent for every address alike; with no room left, the earlier link and code stay as they were.
            boolean room = outbox.spend(em, MailKind.EMAIL_SIGN_IN, MAIL, email);
            Instant now = clock.instant();
            boolean stored = room && pending.replace(em, email, tokenDigest, codeDigest, now.plus(LINK_LIFETIME),
                    now.plus(CODE_LIFETIME), now);
            return stored ? found : new PendingSignIns.Found(room && found.account() == Account.UNKNOWN
                    ? Account.UNKNOWN : Account.DISABLED, 0);
        });
        if (account.account() == Account.ACTIVE) {
            // The event is written on the mail thread: the request does the same work for every address.
            outbox.sendCounted(MAIL, account.userId(), email, outbox.write(MailTemplates.Kind.SIGN_IN_LINK, client,
                            token, Map.of("code", code.substring(0, 3) + " " + code.substring(3), "link_minutes",
                                    Long.toString(LINK_LIFETIME.toMinutes()), "code_minutes",
                                    Long.toString(CODE_LIFETIME.toMinutes()))),
                    () -> tx.inTransaction(em -> events.record(em, account.userId(), AccountEvent.SIGN_IN_REQUESTED,
                            null, client, Map.of("method", "email"))));
        } else if (account.account() == Account.UNKNOWN) {
            outbox.sendCounted(MAIL, null, email, outbox.write(MailTemplates.Kind.SIGN_IN_NO_ACCOUNT, client, null,
                    Map.of()));
        }
    }

    @Override
    public SignedIn confirmLink(String token, ClientInfo client) {
        requireEnabled();
        ClientInfo from = ClientInfo.required(client);
        FieldError.requirePresent("token", token);
        return metrics.signIn(SignInMethod.EMAIL_LINK, () -> judged(from, (em, addressKey) -> {
            String digest = Tokens.plausible(token) ? Tokens.digest(token) : "";
            Long userId = pending.byToken(em, digest, clock.instant());
            if (userId == null) {
                // No account to count against: the client address counts, under a key of this token alone.
                throttle.reserve(em, keys.account("email-sign-in-token", digest), addressKey);
                return refusal();
            }
            User user = User.require(em, userId);
            throttle.reserve(em, keys.account(SignInThrottle.SIGN_IN, user.getEmail()), addressKey);
            return succeed(em, user, "email_link", addressKey, from);
        }), SignedIn::needsSecondFactor);
    }

    @Override
    public SignedIn confirmCode(String rawEmail, String code, ClientInfo client) {
        requireEnabled();
        ClientInfo from = ClientInfo.required(client);
        List<FieldError> errors = new ArrayList<>();
        FieldError.missing("email", rawEmail).ifPresent(errors::add);
        FieldError.missing("code", code).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        String email = UserRules.normaliseEmail(rawEmail);
        String digits = code.replaceAll("[\\s-]", "");
        return metrics.signIn(SignInMethod.EMAIL_CODE, () -> judged(from, (em, addressKey) -> {
            throttle.reserve(em, keys.account(SignInThrottle.SIGN_IN, email), addressKey);
            Pending p = pending.byEmail(em, email, clock.instant());
            if (p == null) {
                return refusal();
            }
            boolean right = digits.matches("\\d{6}") && MessageDigest.isEqual(
                    codeDigest(email, digits).getBytes(StandardCharsets.UTF_8),
                    p.codeDigest().getBytes(StandardCharsets.UTF_8));
            if (!right) {
                pending.codeFailed(em, p.userId());
                events.record(em, p.userId(), AccountEvent.SIGN_IN_FAILED, null, from, Map.of("method", "email_code"));
                return refusal();
            }
            return succeed(em, User.require(em, p.userId()), "email_code", addressKey, from);
        }), SignedIn::needsSecondFactor);
    }

    /** The attempt's transaction; a refusal it returns is thrown after the counting committed. */
    private SignedIn judged(ClientInfo client, Attempt attempt) {
        String addressKey = keys.address(SignInThrottle.SIGN_IN, client.ip());
        Outcome outcome = tx.inTransaction(em -> attempt.judge(em, addressKey));
        if (outcome.signedIn() == null) {
            throw outcome.refusal();
        }
        return outcome.signedIn();
    }

    /**
     * A right proof: the pending sign-in is spent (link and code alike), then the session, or the second step for a
     * user with TOTP on (the inbox is one factor). A disabled account gets neither, and the attempt stays counted.
     */
    private Outcome succeed(EntityManager em, User user, String method, String addressKey, ClientInfo client) {
        if (user.isDisabled()) {
            return new Outcome(null, User.disabled());
        }
        pending.remove(em, user.getId());
        String accountKey = keys.account(SignInThrottle.SIGN_IN, user.getEmail());
        if (user.isMfaEnabled()) {
            throttle.release(em, accountKey, addressKey); // earlier failures stay: wrong codes count there too
            events.record(em, user.getId(), AccountEvent.MFA_REQUIRED, null, client, Map.of("method", method));
            // the inbox's proof (verified email, the claim) counts once the second step completes, not before
            return new Outcome(new SignedIn(user.toInfo(), null, secondStep.challenge(em, user, method)), null);
        }
        throttle.succeeded(em, accountKey, addressKey);
        // The claim removes the password whoever registered the address set; the inbox's owner sets one by reset.
        recovery.claim(em, user, "email_sign_in", null, client);
        IssuedSession session = sessions.issue(em, user, client);
        events.record(em, user.getId(), AccountEvent.SIGNED_IN, session.id(), client, Map.of("method", method));
        return new Outcome(new SignedIn(user.toInfo(), session), null);
    }

    /** The code's digest: an HMAC under the host's secret, over the address and the digits. */
    private String codeDigest(String email, String digits) {
        return keys.account("email-sign-in-code", email + "\n" + digits);
    }

    private void requireEnabled() {
        if (!enabled) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "This server offers no sign-in by email.");
        }
    }

    private static Outcome refusal() {
        return new Outcome(null, AccountsException.of(ErrorCode.INVALID_CREDENTIALS,
                "The sign-in link or code is wrong, expired or already used."));
    }

    /** Deletes up to {@code batch} expired pending sign-ins; returns how many. */
    public int purgeExpired(int batch) {
        return tx.inTransaction(em -> pending.purgeExpired(em, clock.instant(), batch));
    }

    /** How a sign-in of a user with TOTP on waits for its second step, after the first factor {@code method}. */
    @FunctionalInterface
    public interface SecondStep {
        MfaRequired challenge(EntityManager em, User user, String method);
    }

    /** One confirmation inside its transaction. */
    @FunctionalInterface
    private interface Attempt {
        Outcome judge(EntityManager em, String addressKey);
    }

    private record Outcome(SignedIn signedIn, AccountsException refusal) {
    }
}
