package io.github.accounts.core.mail;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.user.UserInfo;

/**
 * What a user proves with their inbox: a password reset and the verification of their address
 * ({@code accounts.mail()}). Mail goes out through the host's {@link Mailer} after the transaction commits. Thread-safe.
 */
public interface Mail {
    /**
     * Mails a reset link (token in the fragment) if the email is registered, worded in the client's language where
     * the host has templates in it; answers the same, after the same work, if not.
     */
    void requestPasswordReset(String email, ClientInfo client);

    /**
     * Sets a new password with a reset token, revoking every session; {@code invalid_token} if it is not live. The
     * client is where the reset was confirmed from, for its event and the notice that tells the user.
     */
    void confirmPasswordReset(String token, String newPassword, ClientInfo client);

    /**
     * Mails the user a link with a single-use token that proves they own their email address, worded in the
     * client's language where the host has templates in it.
     */
    void requestEmailVerification(Authenticated current, ClientInfo client);

    /** As {@link #requestEmailVerification(Authenticated, ClientInfo)} for a client whose language is not known. */
    default void requestEmailVerification(Authenticated current) {
        requestEmailVerification(current, ClientInfo.unknown());
    }

    /** Marks the email of the token's user verified; {@code invalid_token} if it is not live. */
    UserInfo confirmEmailVerification(String token);
}
