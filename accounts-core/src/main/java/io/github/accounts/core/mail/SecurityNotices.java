package io.github.accounts.core.mail;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.AccountEventListener;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mails the user a security notice for each event {@link Notifications} has on, once per event: it listens after
 * commit, on the event thread, so no request waits for it. A sign-in is told only from a device not seen lately
 * ({@link KnownDevices}); the device a user signed up on counts as seen; and new sign-ins are told at most once an
 * hour per account, several in one notice ({@link SignInNoticeBatches}). An email change is told to the old
 * address. Where the event itself does not say where it came from (a password change), the session that made it
 * does. Devices are named by {@link DeviceNames}, never by the text the client sent. Every notice counts against
 * its address's {@link MailBudget}. Thread-safe.
 */
public final class SecurityNotices implements AccountEventListener {
    private final Notifications notifications;
    private final Transactions tx;
    private final KnownDevices devices;
    private final SignInNoticeBatches batches;
    private final MailOutbox outbox;

    public SecurityNotices(Notifications notifications, Transactions tx, Clock clock, MailOutbox outbox) {
        this.notifications = notifications;
        this.tx = tx;
        this.devices = new KnownDevices(tx);
        this.batches = new SignInNoticeBatches(clock);
        this.outbox = outbox;
    }

    @Override
    public void onEvent(AccountEvent event) {
        Notifications.Type type = Notifications.Type.of(event.type());
        if (type == null || !notifications.isOn(type) || event.userId() == null) {
            return;
        }
        if (type == Notifications.Type.NEW_SIGN_IN) {
            tellSignIn(event);
            return;
        }
        String to = type == Notifications.Type.EMAIL_CHANGED ? (String) event.detail().get("old_email")
                : emailOf(event.userId());
        if (to == null) {
            return; // the account is gone
        }
        Map<String, String> values = new HashMap<>(Map.of("when", NoticeText.when(event.at()), "from", from(event)));
        Object newEmail = event.detail().get("new_email");
        if (newEmail != null) {
            values.put("new_email", NoticeText.mask((String) newEmail));
        }
        outbox.send(kind(type), "notice." + event.type(), event.userId(), to,
                outbox.write(MailTemplates.Kind.notice(type), ClientInfo.unknown(), null, values));
    }

    /**
     * Mails the new-sign-in notices held for accounts whose hour is over, up to {@code batch} accounts; returns how
     * many accounts it told. The housekeeping purge calls it.
     */
    public int tellHeldSignIns(int batch) {
        Map<Long, SignInNoticeBatches.Batch> due = tx.inTransaction(em -> batches.due(em, batch));
        due.forEach(this::tellSignIns);
        return due.size();
    }

    private void tellSignIn(AccountEvent event) {
        if (devices.seenBefore(event)) {
            return;
        }
        SignInNoticeBatches.SignIn signIn = new SignInNoticeBatches.SignIn(event.at(), from(event));
        SignInNoticeBatches.Batch batch = tx.inTransaction(em -> em.find(User.class, event.userId()) == null ? null
                : batches.newDevice(em, event.userId(), signIn));
        if (batch != null) {
            tellSignIns(event.userId(), batch);
        }
    }

    private void tellSignIns(long userId, SignInNoticeBatches.Batch batch) {
        String to = emailOf(userId);
        if (to != null) {
            outbox.send(MailKind.SIGN_IN_NOTICE, "notice." + AccountEvent.SIGNED_IN, userId, to,
                    outbox.write(MailTemplates.Kind.NOTICE_NEW_SIGN_IN, ClientInfo.unknown(), null,
                            Map.of("sign_ins", NoticeText.signIns(batch))));
        }
    }

    /** Deletes up to {@code batch} held sign-in rows that count nothing any more; returns how many. */
    public int purge(EntityManager em, int batch) {
        return batches.purge(em, batch);
    }

    private String emailOf(long userId) {
        return tx.read(em -> {
            User user = em.find(User.class, userId);
            return user == null ? null : user.getEmail();
        });
    }

    private static MailKind kind(Notifications.Type type) {
        return switch (type) {
            case NEW_SIGN_IN -> MailKind.SIGN_IN_NOTICE;
            case PASSWORD_CHANGED, PASSWORD_RESET -> MailKind.PASSWORD_NOTICE;
            case EMAIL_CHANGED -> MailKind.EMAIL_CHANGE;
            case MFA_ENABLED, MFA_DISABLED, PASSKEY_ADDED, PASSKEY_REMOVED, RECOVERY_CODES_REGENERATED,
                    IDENTITY_LINKED, IDENTITY_UNLINKED -> MailKind.FACTOR_CHANGE_NOTICE;
            case ACCOUNT_DISABLED, ACCOUNT_CLAIMED -> MailKind.ACCOUNT_NOTICE;
        };
    }

    /** Where the event came from, or else the session it names, as {@link DeviceNames} describes it. */
    private String from(AccountEvent event) {
        if (event.ip() != null || event.userAgent() != null || event.sessionId() == null) {
            return DeviceNames.deviceAndAddress(event.userAgent(), event.ip());
        }
        List<?> rows = tx.read(em -> em.createNativeQuery("select ip, user_agent from sessions where id = ?")
                .setParameter(1, event.sessionId()).getResultList());
        if (rows.isEmpty()) {
            return DeviceNames.deviceAndAddress(null, null);
        }
        Object[] row = (Object[]) rows.get(0);
        return DeviceNames.deviceAndAddress((String) row[1], (String) row[0]);
    }
}
