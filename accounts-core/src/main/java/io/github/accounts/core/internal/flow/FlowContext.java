package io.github.accounts.core.internal.flow;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.password.PasswordConfirmation;
import io.github.accounts.core.password.PasswordHasher;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.RecentAuthentication;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.token.OneTimeTokens;

import java.time.Clock;

/**
 * What the feature flows share, built once by {@code Accounts}: the transactions, the clock (whole milliseconds), the
 * configuration, the event log, the session writes, the sign-in throttle and its keys, one-time tokens, account
 * recovery and password checks. A flow takes this and the few collaborators of its own feature.
 */
public record FlowContext(Transactions tx, Tokens tokens, Clock clock, AccountsConfig config, Metrics metrics,
                          EventLog events, UserSessions sessions, RecentAuthentication recent,
                          SignInThrottle throttle, ThrottleKeys keys, OneTimeTokens oneTimeTokens,
                          AccountRecovery recovery, PasswordHasher hasher, PasswordRules passwordRules,
                          PasswordConfirmation confirmation) {

    /**
     * Before a way in that would outlive a password reset (a passkey, a linked identity): a verified email and a
     * proof by this session within the proof window; {@code email_not_verified} or
     * {@code reauthentication_required} otherwise.
     */
    public void beforeAddingWayIn(Authenticated current) {
        RecentAuthentication.requireVerifiedEmail(current);
        tx.read(em -> {
            recent.requireProof(em, current);
            return null;
        });
    }

    /** Before removing a way in (or exporting the account): a sign-in or proof within the sign-in window. */
    public void beforeRemovingWayIn(Authenticated current) {
        tx.read(em -> {
            recent.requireSignInOrProof(em, current);
            return null;
        });
    }
}
