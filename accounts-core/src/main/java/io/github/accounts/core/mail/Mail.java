package io.github.accounts.core.mail;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.user.UserInfo;

/**
 * What a user proves with their inbox: a password reset and the verification of their address
 * ({@code accounts.mail()}). Mail goes out through the host's {@link Mailer} after the transaction commits. Thread-safe.
 */
public interface Mail {
    /** Mails a reset token if the email is registered; answers the same, after the same work, if not. */
    void requestPasswordReset(String email, ClientInfo client);

    /**
     * Sets a new password with a reset token, revoking every session; {@code invalid_token} if it is not live. The
     * client is where the reset was confirmed from, for its event and the notice that tells the user.
     */
    void confirmPasswordReset(String token, String newPassword, ClientInfo client);

    /** Mails the user a single-use token that proves they own their email address. */
    void requestEmailVerification(Authenticated current);

    /** Marks the email of the token's user verified; {@code invalid_token} if it is not live. */
    UserInfo confirmEmailVerification(String token);
}
