package io.github.accounts.core.email;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.user.UserInfo;

/** Moving an account to another email address, proved by the new inbox ({@code accounts.emailChange()}). Thread-safe. */
public interface EmailChange {
    /**
     * Asks to move the account to {@code newEmail} after checking {@code password} (throttled like a password
     * change): a single-use token valid as long as a verification token (24 hours by default) goes to the new
     * address, replacing any earlier one; if another account has that address, it is told instead and this returns
     * all the same. {@code validation_failed}, {@code wrong_password} or {@code throttled} otherwise.
     */
    void request(Authenticated current, String newEmail, String password, ClientInfo client);

    /**
     * Moves the token's user to the address it was mailed to, which counts as verified; the old address is told.
     * {@code invalid_token} if the token is not live or the address was taken meanwhile.
     */
    UserInfo confirm(String token, ClientInfo client);
}
