package io.github.accounts.core.profile;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.password.PasswordConfirmation;
import io.github.accounts.core.password.PasswordHasher;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.user.User;
import io.github.accounts.core.user.UserInfo;
import io.github.accounts.core.user.UserRules;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a signed-in user does to their own account: read it, rename, change the password, delete it. Thread-safe.
 */
public final class ProfileFlows implements Profile {
    private final Transactions tx;
    private final PasswordHasher hasher;
    private final PasswordRules passwordRules;
    private final PasswordConfirmation confirmation;
    private final UserSessions sessions;
    private final EventLog events;
    private final AccountRecovery recovery;
    private final Clock clock;

    public ProfileFlows(FlowContext ctx) {
        this.tx = ctx.tx();
        this.hasher = ctx.hasher();
        this.passwordRules = ctx.passwordRules();
        this.confirmation = ctx.confirmation();
        this.sessions = ctx.sessions();
        this.events = ctx.events();
        this.recovery = ctx.recovery();
        this.clock = ctx.clock();
    }

    @Override
    public UserInfo me(Authenticated current) {
        return tx.read(em -> User.require(em, current.userId()).toInfo());
    }

    @Override
    public UserInfo update(Authenticated current, String fname, String lname) {
        List<FieldError> errors = new ArrayList<>();
        String newFname = fname == null ? null : UserRules.name("fname", fname, errors);
        String newLname = lname == null ? null : UserRules.name("lname", lname, errors);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        return tx.inTransaction(em -> {
            User user = User.require(em, current.userId());
            if (newFname != null || newLname != null) {
                user.rename(newFname != null ? newFname : user.getFname(), newLname != null ? newLname : user.getLname(),
                        clock.instant());
                events.record(em, current.userId(), AccountEvent.USER_UPDATED, current.sessionId(),
                        ClientInfo.unknown(), Map.of());
            }
            return user.toInfo();
        });
    }

    @Override
    public void changePassword(Authenticated current, String currentPassword, String newPassword) {
        UserInfo me = current.user();
        List<FieldError> errors = new ArrayList<>();
        confirmation.checkPresented(passwordRules, current, "current_password", currentPassword)
                .ifPresent(errors::add);
        passwordRules.check("new_password", newPassword, me.email(), me.fname(), me.lname()).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        confirmation.confirm(current, currentPassword);
        String digest = hasher.hash(newPassword);
        tx.inTransaction(em -> {
            User user = User.require(em, current.userId());
            user.changePasswordDigest(digest, clock.instant());
            recovery.endPending(em, user);
            events.record(em, current.userId(), AccountEvent.PASSWORD_CHANGED, current.sessionId(),
                    ClientInfo.unknown(), Map.of());
            return sessions.revokeAllExcept(em, current.userId(), current.sessionId(), UserSessions.PASSWORD_CHANGED,
                    Map.of());
        });
    }

    /** Ends every session of the user, the current one included, and what is pending on the account. */

    @Override
    public void deleteAccount(Authenticated current, String password) {
        confirmation.checkPresented(passwordRules, current, "password", password).ifPresent(e -> {
            throw AccountsException.invalid(List.of(e));
        });
        confirmation.confirm(current, password);
        tx.inTransaction(em -> {
            // The revocations reach listeners (a socket of the account learns why it closes); their rows, like every
            // event of the account, go with the user.
            sessions.revokeAllExcept(em, current.userId(), -1, UserSessions.ACCOUNT_DELETED, Map.of());
            return em.createQuery("delete from User u where u.id = :id")
                    .setParameter("id", current.userId()).executeUpdate();
        });
    }
}
