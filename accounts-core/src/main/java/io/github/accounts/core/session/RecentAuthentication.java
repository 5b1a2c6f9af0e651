package io.github.accounts.core.session;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.ReauthenticationWindows;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How recently a session authenticated, judged in one place. A session was signed in at its creation (a refresh is
 * not a sign-in) and gave its last proof at its {@code session_proofs} row (gone with the session). Adding a way in
 * needs a proof within {@link ReauthenticationWindows#proof()}: the sign-in alone does not count, so that a stolen or
 * script-driven session cannot plant one. Removing a way in needs a sign-in or a proof within
 * {@link ReauthenticationWindows#signIn()}. Otherwise {@code reauthentication_required}. Thread-safe.
 */
public final class RecentAuthentication {
    private final ReauthenticationWindows windows;
    private final Clock clock;

    /** The rules of {@code windows}, judged on {@code clock}. */
    public RecentAuthentication(ReauthenticationWindows windows, Clock clock) {
        this.windows = windows;
        this.clock = clock;
    }

    /** Returns when the session gave a proof within the proof window; {@code reauthentication_required} otherwise. */
    public void requireProof(EntityManager em, Authenticated current) {
        Instant now = clock.instant();
        Instant proved = times(em, current).provedAt();
        if (proved == null || !now.isBefore(proved.plus(windows.proof()))) {
            throw required("Confirm it is you first: re-authenticate, or send your password along.");
        }
    }

    /** Returns when the session signed in or gave a proof within the sign-in window; refused otherwise. */
    public void requireSignInOrProof(EntityManager em, Authenticated current) {
        requireSignInOrProofWithin(em, current, windows.signIn());
    }

    /**
     * For an account without a password, on a route that would take one: returns when the session signed in (by a
     * provider, an email link or code, a passkey: each proves the owner as a password would) or gave a proof within
     * the proof window; refused otherwise.
     */
    public void requireRecentSignInOrProof(EntityManager em, Authenticated current) {
        requireSignInOrProofWithin(em, current, windows.proof());
    }

    private void requireSignInOrProofWithin(EntityManager em, Authenticated current, Duration window) {
        Instant now = clock.instant();
        Times t = times(em, current);
        Instant latest = t.provedAt() == null || t.createdAt().isAfter(t.provedAt())
                ? t.createdAt() : t.provedAt();
        if (!now.isBefore(latest.plus(window))) {
            throw required("Sign in again or re-authenticate first.");
        }
    }

    /** A second factor or passkey is added only to an account whose email is verified: the inbox is its recovery. */
    public static void requireVerifiedEmail(Authenticated current) {
        if (!current.user().emailVerified()) {
            throw AccountsException.of(ErrorCode.EMAIL_NOT_VERIFIED,
                    "Verify your email address first: it is how you recover the account.");
        }
    }

    /**
     * Records a proof the session just gave, in place of its last one, in the caller's transaction (the one that judged
     * the proof); returns until when it lets the session add a way in. Two racing proofs leave two rows: harmless.
     */
    public Instant proved(EntityManager em, long sessionId) {
        Instant now = clock.instant();
        em.createNativeQuery("delete from session_proofs where session_id = ?").setParameter(1, sessionId)
                .executeUpdate();
        em.createNativeQuery("insert into session_proofs (session_id, proved_at) values (?, ?)")
                .setParameter(1, sessionId).setParameter(2, now).executeUpdate();
        return now.plus(windows.proof());
    }

    private Times times(EntityManager em, Authenticated current) {
        List<?> rows = em.createNativeQuery("""
                        select s.created_at, (select max(p.proved_at) from session_proofs p where p.session_id = s.id)
                        from sessions s where s.id = ?""")
                .setParameter(1, current.sessionId()).getResultList();
        if (rows.isEmpty()) {
            throw AccountsException.of(ErrorCode.UNAUTHENTICATED,
                    "Sign in first: the session token is missing, unknown or expired.");
        }
        Object[] row = (Object[]) rows.get(0);
        return new Times(SessionStore.instant(row[0]), row[1] == null ? null : SessionStore.instant(row[1]));
    }

    /** When a session signed in, and when it last gave a proof (null: never). */
    record Times(Instant createdAt, Instant provedAt) {
    }

    private static AccountsException required(String message) {
        return AccountsException.of(ErrorCode.REAUTHENTICATION_REQUIRED, message);
    }
}
