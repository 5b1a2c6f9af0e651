package io.github.accounts.core.password;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.session.RecentAuthentication;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;

import java.util.Optional;

/**
 * A signed-in user proving they still know their password before a change that needs it (a new password, deleting
 * the account). Attempts count against the account's sign-in throttle, reserved before hashing like sign-ins. An
 * account without a password (made by a provider or by email sign-in) proves itself on those routes by a recent
 * authentication instead ({@link #confirm(Authenticated, String)}): this session's sign-in or a proof it gave
 * (through a provider, a passkey or a TOTP code) within the proof window. Thread-safe.
 */
public final class PasswordConfirmation {
    private final Transactions tx;
    private final PasswordHasher hasher;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final RecentAuthentication recent;

    public PasswordConfirmation(Transactions tx, PasswordHasher hasher, SignInThrottle throttle, ThrottleKeys keys,
                                RecentAuthentication recent) {
        this.tx = tx;
        this.hasher = hasher;
        this.throttle = throttle;
        this.keys = keys;
        this.recent = recent;
    }

    /**
     * A route's proof: returns when {@code password} is the user's ({@code wrong_password} or {@code throttled}
     * otherwise); for an account without a password, when this session signed in or gave a proof within the proof
     * window ({@code reauthentication_required} otherwise), whatever {@code password} was sent.
     */
    public void confirm(Authenticated current, String password) {
        if (!current.user().hasPassword()) {
            tx.read(em -> {
                recent.requireRecentSignInOrProof(em, current);
                return null;
            });
            return;
        }
        confirm(current.userId(), current.user().email(), password);
    }

    /**
     * The {@code field} error of a missing or malformed password, for an account that has one; none for an account
     * without (it proves itself by a recent authentication, {@link #confirm(Authenticated, String)}).
     */
    public Optional<FieldError> checkPresented(PasswordRules rules, Authenticated current, String field,
                                               String password) {
        return current.user().hasPassword() ? rules.checkPresented(field, password) : Optional.empty();
    }

    /**
     * Returns when {@code password} is that of user {@code userId} (whose email is {@code email}); an account without
     * a password costs the same hash and gets the same {@code wrong_password}.
     */
    public void confirm(long userId, String email, String password) {
        String accountKey = keys.account(SignInThrottle.SIGN_IN, email);
        String digest = tx.inTransaction(em -> {
            throttle.reserve(em, accountKey, null);
            return User.require(em, userId).getPasswordDigest();
        });
        boolean matches;
        try {
            matches = digest == null ? hasher.verifyAgainstNobody(password).matches()
                    : hasher.verify(password, digest).matches();
        } catch (AccountsException notJudged) {
            release(accountKey);
            throw notJudged;
        }
        if (!matches) {
            throw AccountsException.of(ErrorCode.WRONG_PASSWORD, "The password is not correct.");
        }
        release(accountKey);
    }

    private void release(String accountKey) {
        tx.inTransaction(em -> {
            throttle.release(em, accountKey, null);
            return null;
        });
    }
}
