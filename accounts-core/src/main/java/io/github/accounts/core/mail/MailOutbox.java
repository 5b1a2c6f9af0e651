package io.github.accounts.core.mail;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands mail to the host's {@link Mailer} on one background thread, so no HTTP answer waits for a mail server. A
 * message that is not delivered (refused by a full queue, thrown, or reported failed by the mailer after its
 * retries) is logged with its kind and Message-ID and recorded as a {@code mail.failed} event of the account it
 * was for (never with its body, which may hold a token). Before a message is queued it is counted against its
 * address's {@link MailBudget}, in a transaction of its own or in the flow's ({@link #spend}); one over the budget
 * is dropped, said at INFO without the address, and the flow that sent it answers as it would have. Thread-safe.
 */
public final class MailOutbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);
    private static final int QUEUE = 1_000;

    private final Mailer mailer;
    private final Transactions tx;
    private final EventLog events;
    private final MailBudget budget;
    private final MailWriter writer;
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "accounts-mail");
                t.setDaemon(true);
                return t;
            });

    public MailOutbox(Mailer mailer, Transactions tx, EventLog events, MailBudget budget, MailWriter writer) {
        this.mailer = mailer;
        this.tx = tx;
        this.events = events;
        this.budget = budget;
        this.writer = writer;
    }

    /** Writes the mail of {@code kind} for the flows that send one ({@link MailWriter#write}). */
    public MailMessage write(MailTemplates.Kind kind, ClientInfo client, String token, Map<String, String> values) {
        return writer.write(kind, client, token, values);
    }

    /**
     * Queues one message of {@code kind} (a word such as {@code password_reset}, named in the failure event) for the
     * account {@code userId}; null when the sender does not know it, and the account is then found by {@code to}.
     * It counts as a mail of {@code budgetKind} to {@code to}, and is not sent when that address had its fill.
     */
    public void send(MailKind budgetKind, String kind, Long userId, String to, MailMessage message) {
        if (tx.inTransaction(em -> spend(em, budgetKind, kind, to))) {
            sendCounted(kind, userId, to, message);
        }
    }

    /**
     * Counts a mail of {@code budgetKind} to {@code to} in the caller's transaction, for a flow that must do the same
     * work whether or not it will send one; false when the address had its fill, and the mail must then not be sent.
     */
    public boolean spend(EntityManager em, MailKind budgetKind, String kind, String to) {
        boolean room = budget.spend(em, budgetKind, to);
        if (!room) {
            log.info("Mail {} not sent: its address had {} of its kind or {} in all within the hour", kind,
                    MailBudget.PER_KIND, MailBudget.IN_ALL);
        }
        return room;
    }

    /** Queues a mail that {@link #spend} counted, as {@link #send} does. */
    public void sendCounted(String kind, Long userId, String to, MailMessage message) {
        sendCounted(kind, userId, to, message, () -> { });
    }

    /**
     * As {@link #sendCounted(String, Long, String, MailMessage)}, running {@code first} on the mail thread before
     * the mail goes out: work that must not show in the time of the request that sends it (an event only a known
     * address gets). What {@code first} throws is logged, and the mail still goes.
     */
    public void sendCounted(String kind, Long userId, String to, MailMessage message, Runnable first) {
        try {
            thread.execute(() -> {
                try {
                    first.run();
                } catch (RuntimeException e) {
                    log.warn("Before mail {}: {}", kind, e.toString());
                }
                try {
                    mailer.send(to, message, (messageId, reason) -> failed(kind, userId, to, messageId, reason));
                } catch (Exception e) {
                    failed(kind, userId, to, null, e.toString());
                }
            });
        } catch (RejectedExecutionException full) {
            failed(kind, userId, to, null, thread.isShutdown() ? "accounts was closed" : "the mail queue is full");
        }
    }

    private void failed(String kind, Long userId, String to, String messageId, String reason) {
        log.warn("Mail {} ({}) not delivered: {}", messageId == null ? "without id" : messageId, kind, reason);
        try {
            tx.inTransaction(em -> {
                Long account = userId != null ? userId : User.byEmail(em, to).map(User::getId).orElse(null);
                if (account != null && em.find(User.class, account) != null) {
                    events.record(em, account, AccountEvent.MAIL_FAILED, null, ClientInfo.unknown(),
                            messageId == null ? Map.of("kind", kind) : Map.of("kind", kind, "message_id", messageId));
                }
                return null;
            });
        } catch (AccountsException e) {
            log.warn("Could not record the failure of mail {} ({}): {}", messageId, kind, e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
