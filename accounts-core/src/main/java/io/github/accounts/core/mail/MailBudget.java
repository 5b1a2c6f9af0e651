package io.github.accounts.core.mail;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.UserRules;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * How much mail one address may still get: at most {@value #PER_KIND} mails of one {@link MailKind} and
 * {@value #IN_ALL} in all in any hour, whichever flow, account or instance sends them. The row of an address is
 * keyed by an HMAC of the normalised address (never the address itself) and holds the kinds and times of its mails
 * of the last hour; spending locks it, so concurrent senders never both take the last mail. Thread-safe.
 */
public final class MailBudget {
    static final int PER_KIND = 5;
    static final int IN_ALL = 10;
    static final Duration WINDOW = Duration.ofHours(1);
    /** How often a first mail tries to insert and lock its row (the purge may take an idle row meanwhile). */
    private static final int INSERT_ATTEMPTS = 2;

    private final ThrottleKeys keys;
    private final Clock clock;

    public MailBudget(ThrottleKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** One mail as a row keeps it. */
    private record Sent(MailKind kind, Instant at) {
        static Sent parse(String text) {
            int colon = text.indexOf(':');
            return new Sent(MailKind.valueOf(text.substring(0, colon)),
                    Instant.ofEpochMilli(Long.parseLong(text.substring(colon + 1))));
        }

        String text() {
            return kind.name() + ":" + at.toEpochMilli();
        }
    }

    /**
     * Counts one mail of {@code kind} to {@code to} in the caller's transaction, or returns false when the address
     * had its fill of that kind or in all within the last hour: the mail must then not be sent.
     */
    boolean spend(EntityManager em, MailKind kind, String to) {
        String key = keys.account("mail", UserRules.normaliseEmail(to));
        Instant now = clock.instant();
        List<Sent> recent = new ArrayList<>();
        for (Sent s : lockOrInsert(em, key, now)) {
            if (s.at().isAfter(now.minus(WINDOW))) {
                recent.add(s);
            }
        }
        if (recent.size() >= IN_ALL || recent.stream().filter(s -> s.kind() == kind).count() >= PER_KIND) {
            return false;
        }
        recent.add(new Sent(kind, now));
        em.createNativeQuery(
                        "update mail_budget set sent = ?, last_sent_at = ?, updated_at = ? where recipient_key = ?")
                .setParameter(1, String.join(" ", recent.stream().map(Sent::text).toList()))
                .setParameter(2, utc(now)).setParameter(3, utc(now)).setParameter(4, key).executeUpdate();
        return true;
    }

    /**
     * Deletes up to {@code batch} rows whose last mail is over an hour old: they count nothing any more. The delete
     * checks again, so a row a mail spent since the select stays.
     */
    public int purge(EntityManager em, int batch) {
        OffsetDateTime idleSince = utc(clock.instant().minus(WINDOW));
        return em.createNativeQuery("""
                        delete from mail_budget where last_sent_at <= ? and id in
                        (select id from mail_budget where last_sent_at <= ? fetch first ? rows only)""")
                .setParameter(1, idleSince).setParameter(2, idleSince).setParameter(3, batch).executeUpdate();
    }

    /** The mails of {@code key}'s row, locked; a missing row is inserted first (a race for it is no error). */
    private static List<Sent> lockOrInsert(EntityManager em, String key, Instant now) {
        for (int attempt = 0; ; attempt++) {
            List<?> rows = em.createNativeQuery("select sent from mail_budget where recipient_key = ? for update")
                    .setParameter(1, key).getResultList();
            if (!rows.isEmpty()) {
                String sent = (String) rows.get(0);
                return sent == null || sent.isEmpty() ? List.of()
                        : List.of(sent.split(" ")).stream().map(Sent::parse).toList();
            }
            if (attempt == INSERT_ATTEMPTS) {
                throw AccountsException.internal(new IllegalStateException("A mail budget row vanished twice"));
            }
            Jdbc.insertUnlessDuplicate(em, """
                    insert into mail_budget (recipient_key, last_sent_at, created_at, updated_at)
                    values (?, ?, ?, ?)""", key, now, now, now);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
