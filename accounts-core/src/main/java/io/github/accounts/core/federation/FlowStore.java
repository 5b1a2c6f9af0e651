package io.github.accounts.core.federation;

import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Tokens;
import jakarta.persistence.EntityManager;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The flows begun and the links waiting for proof, in the {@code federation_flows} and {@code federation_links}
 * tables, so any instance finishes what another began. A row holds only digests: of the {@code state} (its key), and
 * of the browser key kept in the browser's pre-auth cookie. The {@code nonce} and the PKCE verifier are derived from
 * the browser key and the state (HMAC-SHA256), so the database holds neither and nothing in it lets a reader finish a
 * flow. Taking a flow deletes it (single use, even when two instances race); rows live 10 minutes and the
 * housekeeping purges them. Reached from {@code Accounts} only; not API. Thread-safe.
 */
public final class FlowStore {
    /** How long a flow, and a link waiting for proof, may take. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Tokens tokens = new Tokens();
    private final Clock clock;

    public FlowStore(Clock clock) {
        this.clock = clock;
    }

    /** A flow begun: its {@code state}, the browser key for the cookie, and the nonce and verifier they give. */
    public record Begun(String state, String browserKey, String nonce, String codeVerifier) {
        @Override
        public String toString() {
            return "Begun[]";
        }
    }

    /**
     * A flow taken back at its callback: what it was for ({@code userId} when linking or re-authenticating,
     * {@code sessionId} when re-authenticating that session), when it began, and the nonce and verifier it was begun
     * with.
     */
    public record Flow(String providerId, String returnTo, Long userId, Long sessionId, Instant began, String nonce,
                       String codeVerifier) {
        @Override
        public String toString() {
            return "Flow[providerId=" + providerId + ", returnTo=" + returnTo + ", userId=" + userId + ", sessionId="
                    + sessionId + "]";
        }
    }

    /** A link waiting for the account's proof: the account, and the identity to link to it. */
    public record PendingLink(long userId, String providerId, ProviderIdentity identity, String returnTo) {
    }

    /**
     * Stores a new flow of {@code providerId} in the caller's transaction; {@code userId} non-null when linking or
     * re-authenticating, {@code sessionId} non-null when re-authenticating that session.
     */
    public Begun begin(EntityManager em, String providerId, String returnTo, Long userId, Long sessionId) {
        String state = tokens.generate();
        String browserKey = tokens.generate();
        Sql.update(em, """
                        insert into federation_flows (state_digest, browser_digest, provider_id, return_to, user_id,
                        session_id, expires_at) values (?, ?, ?, ?, ?, ?, ?)""", Tokens.digest(state),
                Tokens.digest(browserKey), providerId, returnTo, Sql.nullable(userId), Sql.nullable(sessionId),
                clock.instant().plus(LIFETIME));
        return new Begun(state, browserKey, derive(browserKey, "nonce", state), derive(browserKey, "pkce", state));
    }

    /**
     * Uses up the live flow of {@code state} if {@code browserKey} is the one it was begun with; empty otherwise. A
     * flow presented with the wrong browser key is used up all the same: whoever holds a stolen {@code state} gets one
     * try, and the flow is gone for both.
     */
    public Optional<Flow> take(EntityManager em, String state, String browserKey) {
        if (!Tokens.plausible(state)) {
            return Optional.empty();
        }
        String stateDigest = Tokens.digest(state);
        List<Object[]> rows = Sql.query(em, """
                        select browser_digest, provider_id, return_to, user_id, session_id, expires_at
                        from federation_flows where state_digest = ? and expires_at > ?""",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, Long.class),
                        rs.getObject(5, Long.class), Sql.instant(rs, "expires_at")},
                stateDigest, clock.instant());
        if (rows.isEmpty() || Sql.update(em, "delete from federation_flows where state_digest = ?", stateDigest) != 1) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        if (!Tokens.plausible(browserKey) || !sameDigest((String) row[0], Tokens.digest(browserKey))) {
            return Optional.empty();
        }
        return Optional.of(new Flow((String) row[1], (String) row[2], (Long) row[3], (Long) row[4],
                ((Instant) row[5]).minus(LIFETIME), derive(browserKey, "nonce", state), derive(browserKey, "pkce", state)));
    }

    /** Stores a link waiting for the account's proof, bound to the same browser; returns its single-use token. */
    public String beginLink(EntityManager em, String browserKey, long userId, String providerId,
                            ProviderIdentity identity, String returnTo) {
        String token = tokens.generate();
        Sql.update(em, """
                        insert into federation_links (token_digest, browser_digest, user_id, provider_id, issuer,
                        subject, email, return_to, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                Tokens.digest(token), Tokens.digest(browserKey), userId, providerId, identity.issuer(),
                identity.subject(), Sql.nullable(identity.normalisedEmail()), returnTo,
                clock.instant().plus(LIFETIME));
        return token;
    }

    /** The live link of {@code linkToken} if {@code browserKey} is its browser's; it stays until {@link #takeLink}. */
    public Optional<PendingLink> peekLink(EntityManager em, String linkToken, String browserKey) {
        if (!Tokens.plausible(linkToken) || !Tokens.plausible(browserKey)) {
            return Optional.empty();
        }
        List<Object[]> rows = Sql.query(em, """
                        select browser_digest, user_id, provider_id, issuer, subject, email, return_to
                        from federation_links where token_digest = ? and expires_at > ?""",
                rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)},
                Tokens.digest(linkToken), clock.instant());
        if (rows.isEmpty() || !sameDigest((String) rows.get(0)[0], Tokens.digest(browserKey))) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new PendingLink((Long) r[1], (String) r[2],
                new ProviderIdentity((String) r[3], (String) r[4], (String) r[5], true, null, null, null),
                (String) r[6]));
    }

    /** Uses up the link of {@code linkToken}; false when it is already gone (a racing request took it). */
    public boolean takeLink(EntityManager em, String linkToken) {
        return Sql.update(em, "delete from federation_links where token_digest = ? and expires_at > ?",
                Tokens.digest(linkToken), clock.instant()) == 1;
    }

    /** Deletes up to {@code batch} expired flows and links; returns how many. */
    public int purgeExpired(EntityManager em, int batch) {
        int flows = Sql.update(em, """
                        delete from federation_flows where id in
                        (select id from federation_flows where expires_at <= ? fetch first ? rows only)""",
                clock.instant(), batch);
        return flows + Sql.update(em, """
                        delete from federation_links where id in
                        (select id from federation_links where expires_at <= ? fetch first ? rows only)""",
                clock.instant(), batch);
    }

    /** A secret of one flow that no table holds: HMAC-SHA256 under the browser key, base64url (43 characters). */
    private static String derive(String browserKey, String purpose, String state) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(browserKey.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            byte[] out = mac.doFinal((purpose + "|" + state).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static boolean sameDigest(String stored, String presented) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
