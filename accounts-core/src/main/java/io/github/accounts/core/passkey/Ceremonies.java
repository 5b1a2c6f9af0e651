package io.github.accounts.core.passkey;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Tokens;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code passkey_ceremonies} table: a ceremony begun is a row keyed by the SHA-256 digest of its id, holding the
 * options sent (and so the challenge), its kind and, for registration, its user. Taking one deletes it, so it is
 * used once even when two instances race; one past its five minutes is never taken. Thread-safe.
 */
final class Ceremonies {
    /** How long a ceremony may take, from its options to its answer. */
    static final Duration LIFETIME = Duration.ofMinutes(5);

    /** What a ceremony is for; stored in the {@code kind} column. */
    enum Kind {
        REGISTRATION, SIGN_IN, SECOND_STEP, REAUTHENTICATION;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Tokens tokens;
    private final Clock clock;

    Ceremonies(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** Stores a new ceremony in the caller's transaction; returns its id, which exists nowhere else. */
    String begin(EntityManager em, Kind kind, Long userId, String challenge, String requestJson) {
        return insert(em, kind, userId, null, challenge, requestJson);
    }

    /**
     * Stores a second step's ceremony bound to its {@code mfa_token}'s digest, in the caller's transaction, in place
     * of any that token began before: a token holds one live ceremony, however often its holder asks.
     */
    String beginSecondStep(EntityManager em, long userId, String mfaTokenDigest, String challenge,
                           String requestJson) {
        Sql.update(em, "delete from passkey_ceremonies where mfa_token_digest = ?", mfaTokenDigest);
        return insert(em, Kind.SECOND_STEP, userId, mfaTokenDigest, challenge, requestJson);
    }

    private String insert(EntityManager em, Kind kind, Long userId, String mfaTokenDigest, String challenge,
                          String requestJson) {
        String id = tokens.generate();
        Sql.update(em, """
                        insert into passkey_ceremonies
                        (ceremony_digest, kind, user_id, mfa_token_digest, challenge, request, expires_at)
                        values (?, ?, ?, ?, ?, ?, ?)""", Tokens.digest(id), kind.column(), Sql.nullable(userId),
                Sql.nullable(mfaTokenDigest), challenge, requestJson, clock.instant().plus(LIFETIME));
        return id;
    }

    /**
     * Uses up a live ceremony of {@code kind} begun for {@code userId} (null: for nobody yet) and returns the options
     * it sent; {@code invalid_ceremony} if it is unknown, expired, used, of another kind or another user's.
     */
    String take(EntityManager em, Kind kind, Long userId, String ceremonyId) {
        if (!Tokens.plausible(ceremonyId)) {
            throw invalid();
        }
        List<Row> rows = Sql.query(em, """
                        select id, user_id, request from passkey_ceremonies
                        where ceremony_digest = ? and kind = ? and expires_at > ?""",
                rs -> new Row(rs.getLong("id"), rs.getObject("user_id", Long.class), rs.getString("request")),
                Tokens.digest(ceremonyId), kind.column(), clock.instant());
        if (rows.isEmpty()) {
            throw invalid();
        }
        Row row = rows.get(0);
        int deleted = Sql.update(em, "delete from passkey_ceremonies where id = ?", row.id());
        if (deleted != 1 || !Objects.equals(row.userId(), userId)) {
            throw invalid(); // a racing request took it first, or it was not begun for this user (and now is gone)
        }
        return row.request();
    }

    /**
     * Uses up a live ceremony of whatever kind; {@code invalid_ceremony} if it is unknown, expired or used. The
     * caller judges the kind and the {@code mfa_token} it was begun for.
     */
    Taken takeAny(EntityManager em, String ceremonyId) {
        if (!Tokens.plausible(ceremonyId)) {
            throw invalid();
        }
        List<Taken> rows = Sql.query(em, """
                        select kind, mfa_token_digest, request from passkey_ceremonies
                        where ceremony_digest = ? and expires_at > ?""",
                rs -> new Taken(Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
                        rs.getString("mfa_token_digest"), rs.getString("request")),
                Tokens.digest(ceremonyId), clock.instant());
        if (rows.isEmpty() || Sql.update(em, "delete from passkey_ceremonies where ceremony_digest = ?",
                Tokens.digest(ceremonyId)) != 1) {
            throw invalid(); // unknown, or a racing request took it first
        }
        return rows.get(0);
    }

    /** A ceremony used up: what it was for, the digest of the {@code mfa_token} it was begun for, its options. */
    record Taken(Kind kind, String mfaTokenDigest, String request) {
    }

    /** Deletes up to {@code batch} expired ceremonies; returns how many. */
    int purgeExpired(EntityManager em, int batch) {
        return Sql.update(em, """
                        delete from passkey_ceremonies where id in
                        (select id from passkey_ceremonies where expires_at <= ? fetch first ? rows only)""",
                clock.instant(), batch);
    }

    private record Row(long id, Long userId, String request) {
    }

    static AccountsException invalid() {
        return AccountsException.of(ErrorCode.INVALID_CEREMONY,
                "This passkey ceremony is unknown, expired or already used; start again.");
    }
}
