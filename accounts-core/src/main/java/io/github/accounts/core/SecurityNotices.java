package io.github.accounts.core;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.AccountEventListener;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.user.User;

import java.util.List;

/**
 * Mails the user a security notice for each event {@link Notifications} has on, once per event: it listens after
 * commit, on the event thread, so no request waits for it. A sign-in is told only from a device not seen lately
 * ({@link KnownDevices}); the device a user signed up on counts as seen. An email change is told to the old
 * address. Where the event itself does not say where it came from (a password change), the session that made it
 * does. Thread-safe.
 */
final class SecurityNotices implements AccountEventListener {
    private final Notifications notifications;
    private final Transactions tx;
    private final KnownDevices devices;
    private final MailOutbox outbox;

    SecurityNotices(Notifications notifications, Transactions tx, MailOutbox outbox) {
        this.notifications = notifications;
        this.tx = tx;
        this.devices = new KnownDevices(tx);
        this.outbox = outbox;
    }

    @Override
    public void onEvent(AccountEvent event) {
        Notifications.Type type = Notifications.Type.of(event.type());
        if (type == null || !notifications.isOn(type) || event.userId() == null) {
            return;
        }
        if (type == Notifications.Type.NEW_SIGN_IN && devices.seenBefore(event)) {
            return;
        }
        String to = type == Notifications.Type.EMAIL_CHANGED ? (String) event.detail().get("old_email")
                : tx.read(em -> {
                    User user = em.find(User.class, event.userId());
                    return user == null ? null : user.getEmail();
                });
        if (to == null) {
            return; // the account is gone
        }
        String[] where = where(event);
        NoticeText.Notice notice = NoticeText.of(type, event.at(), where[0], where[1],
                (String) event.detail().get("new_email"));
        outbox.send("notice." + event.type(), event.userId(), to, notice.subject(), notice.body());
    }

    /** The event's address and user agent, or else those of the session it names. */
    private String[] where(AccountEvent event) {
        if (event.ip() != null || event.userAgent() != null || event.sessionId() == null) {
            return new String[] {event.ip(), event.userAgent()};
        }
        List<?> rows = tx.read(em -> em.createNativeQuery("select ip, user_agent from sessions where id = ?")
                .setParameter(1, event.sessionId()).getResultList());
        if (rows.isEmpty()) {
            return new String[] {null, null};
        }
        Object[] row = (Object[]) rows.get(0);
        return new String[] {(String) row[0], (String) row[1]};
    }
}
