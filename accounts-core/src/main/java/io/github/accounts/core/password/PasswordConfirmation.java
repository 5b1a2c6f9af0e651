package io.github.accounts.core.password;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;

/**
 * A signed-in user proving they still know their password before a change that needs it (a new password, deleting
 * the account). Attempts count against the account's sign-in throttle, reserved before hashing like sign-ins.
 * Thread-safe.
 */
public final class PasswordConfirmation {
    private final Transactions tx;
    private final PasswordHasher hasher;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;

    public PasswordConfirmation(Transactions tx, PasswordHasher hasher, SignInThrottle throttle, ThrottleKeys keys) {
        this.tx = tx;
        this.hasher = hasher;
        this.throttle = throttle;
        this.keys = keys;
    }

    /** Returns when {@code password} is the user's; {@code wrong_password} or {@code throttled} otherwise. */
    public void confirm(Authenticated current, String password) {
        confirm(current.userId(), current.user().email(), password);
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
