package io.github.accounts.core.email;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.config.TokenLifetimes;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.mail.MailKind;
import io.github.accounts.core.mail.MailOutbox;
import io.github.accounts.core.mail.MailTemplates;
import io.github.accounts.core.mail.NoticeText;
import io.github.accounts.core.mail.SecurityNotices;
import io.github.accounts.core.password.PasswordConfirmation;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.token.OneTimeTokens.Purpose;
import io.github.accounts.core.token.OneTimeTokens;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserInfo;
import io.github.accounts.core.user.UserRules;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A signed-in user moving their account to a new address: the password is confirmed (and throttled) as for a new
 * password, a single-use token goes to the new address, and the email changes only when that token comes back.
 * An address that belongs to another account gets a "someone tried to use your address" mail instead, and the
 * caller the same 202, so the route tells nobody which addresses are registered. Requests are limited per account
 * like verification mails. The old address is told of the request at once, and of the change from
 * {@link SecurityNotices}. Thread-safe.
 */
public final class EmailChangeFlows implements EmailChange {
    private static final String CHANGE = "email-change";

    private final Transactions tx;
    private final PasswordRules passwordRules;
    private final PasswordConfirmation confirmation;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final ThrottleLimits limits;
    private final OneTimeTokens tokens;
    private final MailOutbox outbox;
    private final TokenLifetimes lifetimes;
    private final EventLog events;
    private final Clock clock;

    public EmailChangeFlows(FlowContext ctx, MailOutbox outbox) {
        this.tx = ctx.tx();
        this.passwordRules = ctx.passwordRules();
        this.confirmation = ctx.confirmation();
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.limits = ctx.config().throttling();
        this.tokens = ctx.oneTimeTokens();
        this.outbox = outbox;
        this.lifetimes = ctx.config().tokens();
        this.events = ctx.events();
        this.clock = ctx.clock();
    }

    @Override
    public void request(Authenticated current, String rawNewEmail, String password, ClientInfo given) {
        ClientInfo client = ClientInfo.required(given);
        String newEmail = validNewEmail(current, rawNewEmail, password);
        confirmation.confirm(current, password);
        String token = tokens.generate();
        boolean taken = tx.inTransaction(em -> {
            throttle.rate(em, keys.account(CHANGE, current.user().email()), limits.verificationMails());
            User user = User.require(em, current.userId());
            boolean owned = User.byEmail(em, newEmail).isPresent();
            if (owned) {
                tokens.forget(em, user, Purpose.EMAIL_CHANGE); // a newer request replaces the older one either way
            } else {
                tokens.store(em, user, Purpose.EMAIL_CHANGE, token, lifetimes.emailVerification(), newEmail);
            }
            events.record(em, user.getId(), AccountEvent.EMAIL_CHANGE_REQUESTED, current.sessionId(), client,
                    Map.of("new_email", newEmail));
            return owned;
        });
        tellTheOldAddress(current, newEmail, client);
        String hours = Long.toString(lifetimes.emailVerification().toHours());
        if (taken) {
            outbox.send(MailKind.EMAIL_CHANGE, "email_change_refused", null, newEmail,
                    outbox.write(MailTemplates.Kind.EMAIL_TAKEN, client, null, Map.of()));
        } else {
            outbox.send(MailKind.EMAIL_CHANGE, "email_change", current.userId(), newEmail,
                    outbox.write(MailTemplates.Kind.CONFIRM_NEW_EMAIL, client, token,
                            Map.of("hours", hours, "old_email", NoticeText.mask(current.user().email()))));
        }
    }

    /**
     * The old address hears of a request at once, not only once it completes: a thief with a stolen session or
     * password asks for the move, and the owner learns of it while a password reset can still cancel it. The new
     * address is shown masked, and the same mail goes out whether or not that address is taken.
     */
    private void tellTheOldAddress(Authenticated current, String newEmail, ClientInfo client) {
        outbox.send(MailKind.EMAIL_CHANGE, "email_change_requested", current.userId(), current.user().email(),
                outbox.write(MailTemplates.Kind.EMAIL_CHANGE_REQUESTED, client, null, Map.of("new_email",
                        NoticeText.mask(newEmail), "hours", Long.toString(lifetimes.emailVerification().toHours()))));
    }

    /**
     * One transaction uses the token up and moves the email; the users table's unique index decides a race with a
     * sign-up (or another change) taking the address meanwhile, and the loser's token is {@code invalid_token}.
     * Every other token of the user (a reset token mailed to the old address) stops working.
     */
    @Override
    public UserInfo confirm(String token, ClientInfo given) {
        ClientInfo client = ClientInfo.required(given);
        FieldError.requirePresent("token", token);
        return tx.inTransaction(em -> {
            OneTimeTokens.Live found = tokens.find(em, Purpose.EMAIL_CHANGE, token)
                    .orElseThrow(EmailChangeFlows::invalid);
            User user = found.user();
            if (user.isDisabled()) {
                throw User.disabled();
            }
            if (!tokens.consume(em, Purpose.EMAIL_CHANGE, token)) {
                throw invalid(); // used by a concurrent request meanwhile
            }
            String oldEmail = user.getEmail();
            Instant now = clock.instant();
            int moved = Jdbc.updateUnlessDuplicate(em,
                    "update users set email = ?, email_verified_at = ?, updated_at = ? where id = ?",
                    found.newEmail(), now, now, user.getId());
            if (moved != 1) {
                throw invalid(); // the address was taken after the request
            }
            em.refresh(user);
            tokens.forgetAll(em, user);
            events.record(em, user.getId(), AccountEvent.EMAIL_CHANGED, null, client,
                    Map.of("old_email", oldEmail, "new_email", found.newEmail()));
            return user.toInfo();
        });
    }

    private String validNewEmail(Authenticated current, String rawNewEmail, String password) {
        List<FieldError> emailErrors = new ArrayList<>();
        String newEmail = UserRules.email(rawNewEmail, emailErrors);
        List<FieldError> errors = new ArrayList<>();
        emailErrors.forEach(e -> errors.add(new FieldError("new_email", e.code(),
                "new_" + e.message().substring(0, 1).toLowerCase(Locale.ROOT) + e.message().substring(1))));
        if (newEmail != null && newEmail.equals(current.user().email())) {
            errors.add(new FieldError("new_email", "unchanged", "new_email is the account's email already."));
        }
        confirmation.checkPresented(passwordRules, current, "password", password).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        return newEmail;
    }

    private static AccountsException invalid() {
        return AccountsException.of(ErrorCode.INVALID_TOKEN, "The token is unknown, expired or already used.");
    }
}
