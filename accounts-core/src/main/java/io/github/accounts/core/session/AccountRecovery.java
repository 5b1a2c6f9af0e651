package io.github.accounts.core.session;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.token.OneTimeTokens;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What recovering an account does to the other claims on it, inside the caller's transaction. Recovery (a password
 * reset, a password change, sign-out-everywhere) ends what is pending; the first proof of the inbox of an unverified
 * account (a password reset, a provider's verified address; email sign-in will call the same {@link #claim}) ends
 * every other claim, since whoever registered the address first may have planted factors
 * there. Thread-safe.
 */
public final class AccountRecovery {
    private final OneTimeTokens tokens;
    private final UserSessions sessions;
    private final EventLog events;
    private final Clock clock;

    public AccountRecovery(OneTimeTokens tokens, UserSessions sessions, EventLog events, Clock clock) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Cancels every pending email change and other one-time token of the account, and its unfinished second sign-in
     * steps (and, through the tokens, pending sign-ins by email). A token being used is consumed by its caller first, so it is not among them.
     */
    public void endPending(EntityManager em, User user) {
        tokens.forgetAll(em, user);
        em.createQuery("delete from MfaChallenge c where c.userId = :u").setParameter("u", user.getId())
                .executeUpdate();
    }

    /**
     * When {@code user}'s email is not verified yet, the inbox was just proved for the first time by {@code proof}
     * (e.g. {@code password_reset}): every session is revoked (with the proof as the reason), the password replaced
     * by {@code replacementDigest}, passkeys, TOTP and recovery codes removed, pending tokens cancelled, the email
     * marked verified, linked identities removed, and a {@code user.claimed} event recorded. Returns whether it
     * claimed; a verified account is left as it is. {@code replacementDigest} null removes the password (a provider's
     * address was the proof: the account then has no password until a reset sets one).
     */
    public boolean claim(EntityManager em, User user, String proof, String replacementDigest, ClientInfo client) {
        Objects.requireNonNull(proof, "null proof");
        if (user.toInfo().emailVerified()) {
            return false;
        }
        long userId = user.getId();
        Instant now = clock.instant();
        int revoked = sessions.revokeAllExcept(em, userId, -1, proof, Map.of());
        int passkeys = em.createNativeQuery("delete from passkey_credentials where user_id = ?")
                .setParameter(1, userId).executeUpdate();
        em.createNativeQuery("delete from passkey_ceremonies where user_id = ?").setParameter(1, userId)
                .executeUpdate();
        int totp = em.createQuery("delete from TotpCredential c where c.userId = :u").setParameter("u", userId)
                .executeUpdate();
        em.createQuery("delete from RecoveryCode r where r.userId = :u").setParameter("u", userId).executeUpdate();
        int identities = em.createNativeQuery("delete from user_identities where user_id = ?").setParameter(1, userId)
                .executeUpdate();
        user.mfaEnabled(false, now);
        user.changePasswordDigest(replacementDigest, now);
        endPending(em, user);
        user.markEmailVerified(now);
        events.record(em, userId, AccountEvent.USER_CLAIMED, null, client, Map.of("proof", proof,
                "sessions_revoked", revoked, "passkeys_removed", passkeys, "totp_removed", totp,
                "identities_removed", identities));
        return true;
    }
}
