package io.github.accounts.core.mail;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.config.TokenLifetimes;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.password.PasswordHasher;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.token.OneTimeTokens.Purpose;
import io.github.accounts.core.token.OneTimeTokens;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserInfo;
import io.github.accounts.core.user.UserRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The flows that go through the user's inbox: password reset and email verification. Reset requests are limited
 * per email and per address, silently; verification mails per account, with {@code throttled} (the caller is
 * signed in: there is nothing to hide). Thread-safe.
 */
public final class EmailFlows implements Mail {
    private static final Logger log = LoggerFactory.getLogger(EmailFlows.class);
    private static final String RESET = "reset";
    private static final String VERIFY = "verify-mail";

    private final Transactions tx;
    private final PasswordHasher hasher;
    private final PasswordRules passwordRules;
    private final UserSessions sessions;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final ThrottleLimits limits;
    private final OneTimeTokens tokens;
    private final MailOutbox outbox;
    private final TokenLifetimes lifetimes;
    private final EventLog events;
    private final AccountRecovery recovery;
    private final Clock clock;

    public EmailFlows(FlowContext ctx, MailOutbox outbox) {
        this.tx = ctx.tx();
        this.hasher = ctx.hasher();
        this.passwordRules = ctx.passwordRules();
        this.sessions = ctx.sessions();
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.limits = ctx.config().throttling();
        this.tokens = ctx.oneTimeTokens();
        this.outbox = outbox;
        this.lifetimes = ctx.config().tokens();
        this.events = ctx.events();
        this.recovery = ctx.recovery();
        this.clock = ctx.clock();
    }

    /**
     * Known and unknown emails take the same path: a token is generated and digested either way, the same
     * statements run either way, and the request counts against the per-email and per-address limits and the
     * address's mail budget either way; over the limit nothing is written or sent. The mail itself goes out on the
     * outbox's thread.
     */
    @Override
    public void requestPasswordReset(String rawEmail, ClientInfo given) {
        ClientInfo client = ClientInfo.required(given);
        List<FieldError> errors = new ArrayList<>();
        String email = UserRules.email(rawEmail, errors);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        String accountKey = keys.account(RESET, email);
        String addressKey = keys.address(RESET, client.ip());
        String token = tokens.generate();
        boolean stored;
        try {
            stored = tx.inTransaction(em -> {
                throttle.reserve(em, accountKey, addressKey);
                // Counted for unknown addresses too, the same work either way; no room, no new token to replace
                // one mailed earlier.
                return outbox.spend(em, MailKind.RESET, "password_reset", email)
                        && tokens.storeForEmail(em, email, Purpose.PASSWORD_RESET, token, lifetimes.passwordReset());
            });
        } catch (AccountsException e) {
            if (e.code() != ErrorCode.THROTTLED) {
                throw e;
            }
            log.info("Password reset request over the limit; nothing sent");
            return;
        }
        if (stored) {
            outbox.sendCounted("password_reset", null, email, outbox.write(MailTemplates.Kind.RESET_PASSWORD, client,
                    token, Map.of("minutes", Long.toString(lifetimes.passwordReset().toMinutes()))));
        }
    }

    @Override
    public void confirmPasswordReset(String token, String newPassword, ClientInfo given) {
        ClientInfo client = ClientInfo.required(given);
        if (token == null || token.isEmpty()) {
            List<FieldError> errors = new ArrayList<>(List.of(FieldError.required("token")));
            passwordRules.check("new_password", newPassword, null, null, null).ifPresent(errors::add);
            throw AccountsException.invalid(errors);
        }
        User user = tx.inTransaction(em -> tokens.peek(em, Purpose.PASSWORD_RESET, token).orElse(null));
        if (user == null) {
            throw invalidToken();
        }
        if (user.isDisabled()) {
            throw User.disabled(); // the token stays unused: an operator who enables the account may let it finish
        }
        passwordRules.check("new_password", newPassword, user.getEmail(), user.getFname(), user.getLname())
                .ifPresent(e -> {
                    throw AccountsException.invalid(List.of(e));
                });
        String digest = hasher.hash(newPassword);
        tx.inTransaction(em -> {
            if (!tokens.consume(em, Purpose.PASSWORD_RESET, token)) {
                throw invalidToken(); // used by a concurrent request meanwhile
            }
            User stored = em.find(User.class, user.getId());
            if (stored.isDisabled()) {
                throw User.disabled(); // disabled while we hashed
            }
            // the first proof of an unverified inbox ends every other claim; otherwise recovery ends what is pending
            if (!recovery.claim(em, stored, UserSessions.PASSWORD_RESET, digest, client)) {
                stored.changePasswordDigest(digest, clock.instant());
                recovery.endPending(em, stored);
            }
            throttle.reset(em, keys.account(SignInThrottle.SIGN_IN, user.getEmail()));
            events.record(em, user.getId(), AccountEvent.PASSWORD_RESET, null, client, Map.of());
            return sessions.revokeAllExcept(em, user.getId(), -1, UserSessions.PASSWORD_RESET, Map.of());
        });
    }

    @Override
    public void requestEmailVerification(Authenticated current, ClientInfo client) {
        ClientInfo.required(client);
        String token = tokens.generate();
        tx.inTransaction(em -> {
            throttle.rate(em, keys.account(VERIFY, current.user().email()), limits.verificationMails());
            tokens.store(em, User.require(em, current.userId()), Purpose.EMAIL_VERIFICATION, token,
                    lifetimes.emailVerification());
            return null;
        });
        outbox.send(MailKind.VERIFICATION, "email_verification", current.userId(), current.user().email(),
                outbox.write(MailTemplates.Kind.VERIFY_EMAIL, client, token,
                        Map.of("hours", Long.toString(lifetimes.emailVerification().toHours()))));
    }

    @Override
    public UserInfo confirmEmailVerification(String token) {
        FieldError.requirePresent("token", token);
        return tx.inTransaction(em -> {
            User user = tokens.peek(em, Purpose.EMAIL_VERIFICATION, token).orElseThrow(EmailFlows::invalidToken);
            if (!tokens.consume(em, Purpose.EMAIL_VERIFICATION, token)) {
                throw invalidToken();
            }
            user.markEmailVerified(clock.instant());
            events.record(em, user.getId(), AccountEvent.EMAIL_VERIFIED, null, ClientInfo.unknown(), Map.of());
            return user.toInfo();
        });
    }

    /** Deletes up to {@code batch} expired one-time tokens; returns how many. */
    public int purgeExpired(int batch) {
        return tx.inTransaction(em -> tokens.purgeExpired(em, batch));
    }

    private static AccountsException invalidToken() {
        return AccountsException.of(ErrorCode.INVALID_TOKEN, "The token is unknown, expired or already used.");
    }
}
