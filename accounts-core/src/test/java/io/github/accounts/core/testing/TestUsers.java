package io.github.accounts.core.testing;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.user.NewUser;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users for tests: unique emails, strong random passwords, and names that a random password can never contain
 * (they hold characters outside base64url), so the password policy never refuses a fixture by chance.
 */
public final class TestUsers {
    public static final String FNAME = "Ada Q";
    public static final String LNAME = "Lovelace Byron";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestUsers() {
    }

    /** A user that signed up, with what the test needs to act as them. */
    public record TestUser(String email, String password, SignedIn signedIn) {
        public long id() {
            return signedIn.user().id();
        }

        public IssuedSession session() {
            return signedIn.session();
        }
    }

    /** An email no other test uses, e.g. {@code alice.17.1234@example.com}. */
    public static String uniqueEmail(String hint) {
        return hint + "." + COUNTER.incrementAndGet() + "." + ProcessHandle.current().pid() + "@example.com";
    }

    /** 24 random base64url characters: far above any strength threshold, and unique enough to search for. */
    public static String strongPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Signs up a new user with a unique email and a strong password. */
    public static TestUser signUp(Accounts accounts, String hint) {
        String email = uniqueEmail(hint);
        String password = strongPassword();
        SignedIn signedIn = accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, password), ClientInfo.unknown());
        return new TestUser(email, password, signedIn);
    }

    /**
     * Signs up a new user and verifies their email through the mailed token, as adding a second factor or a passkey
     * needs. The returned {@code signedIn} is the sign-up's (it still says unverified); authenticate to see the user now.
     */
    public static TestUser signUpVerified(TestAccounts t, String hint) {
        TestUser user = signUp(t.accounts, hint);
        String token = Mailbox.next(t, user.email(),
                () -> t.accounts.mail().requestEmailVerification(t.accounts.sessions().authenticate(user.session().sessionToken())))
                .token();
        t.accounts.mail().confirmEmailVerification(token);
        return user;
    }

    /** The user's session, re-authenticated with their password just now: it may add a passkey for 5 minutes. */
    public static Authenticated reauthenticated(Accounts accounts, TestUser user) {
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        accounts.reauthentication().withPassword(who, user.password());
        return who;
    }
}
