package io.github.accounts.core.mail;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.internal.Jdbc;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * New-sign-in notices collapse to at most one per account per {@link #EVERY}: the first new device of an hour is
 * told at once; those after it are held in the account's row and told together when the hour is over, by the
 * housekeeping purge or by the next new sign-in, whichever comes first. A row keeps at most {@value #LISTED}
 * devices and counts the rest. Every method works in the caller's transaction, under the row's lock. Thread-safe.
 */
public final class SignInNoticeBatches {
    static final Duration EVERY = Duration.ofHours(1);
    static final int LISTED = 10;
    private static final int INSERT_ATTEMPTS = 2;

    private final Clock clock;

    SignInNoticeBatches(Clock clock) {
        this.clock = clock;
    }

    /** One sign-in from a new device: when, and the device and address as {@link DeviceNames} describes them. */
    record SignIn(Instant at, String from) {
        static SignIn parse(String line) {
            int tab = line.indexOf('\t');
            return new SignIn(Instant.ofEpochMilli(Long.parseLong(line.substring(0, tab))), line.substring(tab + 1));
        }

        String line() {
            return at.toEpochMilli() + "\t" + from;
        }
    }

    /** The sign-ins one notice tells, and how many more there were beyond those listed. */
    record Batch(List<SignIn> signIns, int more) {
    }

    /** Tells {@code signIn} now with any held before it, or holds it (null) when a notice went out within the hour. */
    Batch newDevice(EntityManager em, long userId, SignIn signIn) {
        Row row = lockOrInsert(em, userId, signIn.at());
        List<SignIn> all = new ArrayList<>(row.pending());
        int more = row.more();
        if (all.size() < LISTED) {
            all.add(signIn);
        } else {
            more++;
        }
        boolean due = row.lastSentAt() == null || !signIn.at().isBefore(row.lastSentAt().plus(EVERY));
        write(em, userId, due ? signIn.at() : row.lastSentAt(), due ? List.of() : all, due ? 0 : more, signIn.at());
        return due ? new Batch(all, more) : null;
    }

    /** Takes the held sign-ins of up to {@code batch} accounts whose hour is over, to be told now. */
    Map<Long, Batch> due(EntityManager em, int batch) {
        Instant now = clock.instant();
        List<?> ids = em.createNativeQuery("""
                        select user_id from sign_in_notices where pending is not null and last_sent_at <= ?
                        order by last_sent_at fetch first ? rows only""")
                .setParameter(1, utc(now.minus(EVERY))).setParameter(2, batch).getResultList();
        Map<Long, Batch> due = new LinkedHashMap<>();
        for (Object id : ids) {
            long userId = ((Number) id).longValue();
            Row row = lockOrInsert(em, userId, now);
            if (!row.pending().isEmpty() && !now.isBefore(row.lastSentAt().plus(EVERY))) {
                due.put(userId, new Batch(row.pending(), row.more()));
                write(em, userId, now, List.of(), 0, now);
            }
        }
        return due;
    }

    /** Deletes up to {@code batch} rows holding nothing whose hour is over; checked again by the delete. */
    int purge(EntityManager em, int batch) {
        OffsetDateTime hourAgo = utc(clock.instant().minus(EVERY));
        String idle = "pending is null and (last_sent_at is null or last_sent_at <= ?)";
        return em.createNativeQuery("delete from sign_in_notices where " + idle + " and id in (select id from"
                        + " sign_in_notices where " + idle + " fetch first ? rows only)")
                .setParameter(1, hourAgo).setParameter(2, hourAgo).setParameter(3, batch).executeUpdate();
    }

    private record Row(Instant lastSentAt, List<SignIn> pending, int more) {
    }

    private static void write(EntityManager em, long userId, Instant lastSentAt, List<SignIn> pending, int more,
                              Instant now) {
        em.createNativeQuery("""
                        update sign_in_notices set last_sent_at = ?, pending = ?, pending_more = ?, updated_at = ?
                        where user_id = ?""")
                .setParameter(1, utc(lastSentAt))
                .setParameter(2, pending.isEmpty() ? null : String.join("\n", pending.stream().map(SignIn::line)
                        .toList()))
                .setParameter(3, more).setParameter(4, utc(now)).setParameter(5, userId).executeUpdate();
    }

    private static Row lockOrInsert(EntityManager em, long userId, Instant now) {
        for (int attempt = 0; ; attempt++) {
            List<?> rows = em.createNativeQuery("""
                            select last_sent_at, pending, pending_more from sign_in_notices
                            where user_id = ? for update""")
                    .setParameter(1, userId).getResultList();
            if (!rows.isEmpty()) {
                Object[] row = (Object[]) rows.get(0);
                String pending = (String) row[1];
                return new Row(instant(row[0]), pending == null ? List.of()
                        : pending.lines().map(SignIn::parse).toList(), ((Number) row[2]).intValue());
            }
            if (attempt == INSERT_ATTEMPTS) {
                throw AccountsException.internal(new IllegalStateException("A sign-in notice row vanished twice"));
            }
            Jdbc.insertUnlessDuplicate(em, """
                    insert into sign_in_notices (user_id, pending_more, created_at, updated_at)
                    values (?, 0, ?, ?)""", userId, now, now);
        }
    }

    private static Instant instant(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("Unexpected time type " + value.getClass());
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
