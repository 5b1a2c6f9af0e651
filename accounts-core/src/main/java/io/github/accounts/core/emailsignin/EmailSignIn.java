package io.github.accounts.core.emailsignin;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.SignedIn;

/**
 * Passwordless sign-in by email ({@code accounts.emailSignIn()}): a request mails a known address a link (a single-use
 * token, 15 minutes) and a 6-digit code (10 minutes, dead after 5 wrong tries), and an unknown address a note on how
 * to sign up; either proof then signs in once, and spends the other. A host that turned it off gets
 * {@code not_found} from every method. Thread-safe.
 */
public interface EmailSignIn {
    /** Whether the host offers email sign-in; when not, every other method answers {@code not_found}. */
    boolean enabled();

    /**
     * Mails a sign-in link and code to {@code email} if it has an account (replacing any earlier ones), a note
     * that it has none otherwise, and nothing to a disabled account; answers the same, after the same work, in
     * every case. Over the limits per email and per client address, {@code throttled} (for any address alike);
     * a malformed address is {@code validation_failed}.
     */
    void request(String email, ClientInfo client);

    /**
     * Signs in with the token of a mailed link: a session, or the second step for a user with TOTP on; a wrong,
     * used or expired token is {@code invalid_credentials} and counts toward the client address's sign-in throttle.
     */
    SignedIn confirmLink(String token, ClientInfo client);

    /**
     * Signs in with the mailed code ({@code 123456}; spaces and hyphens are ignored), as {@link #confirmLink}; a
     * wrong code counts toward the account's sign-in throttle, and after 5 the code is dead.
     */
    SignedIn confirmCode(String email, String code, ClientInfo client);
}
