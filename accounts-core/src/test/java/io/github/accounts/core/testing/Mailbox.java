package io.github.accounts.core.testing;

import io.github.accounts.core.testing.TestAccounts.Mail;

import java.util.List;

/**
 * Waits for mail that an action sends. Mail goes out on a background thread, so "the last mail to x" right after a
 * request may still be the previous one; {@link #next} waits for a new one instead.
 */
public final class Mailbox {
    private static final int WAIT_MILLIS = 5_000;

    private Mailbox() {
    }

    /** Every mail {@code t}'s mailer has sent to {@code to} so far, oldest first, security notices left out. */
    public static List<Mail> to(TestAccounts t, String to) {
        return t.mails.stream().filter(m -> m.to().equals(to) && !m.isNotice()).toList();
    }

    /** Every security notice sent to {@code to} so far, oldest first. */
    public static List<Mail> noticesTo(TestAccounts t, String to) {
        return t.mails.stream().filter(m -> m.to().equals(to) && m.isNotice()).toList();
    }

    /**
     * Waits until {@code count} notices to {@code to} have {@code subject}; they come from the event thread, after
     * the action's transaction.
     */
    public static List<Mail> awaitNotices(TestAccounts t, String to, String subject, int count) {
        for (int waited = 0; waited < WAIT_MILLIS; waited += 10) {
            List<Mail> now = noticesTo(t, to).stream().filter(m -> m.subject().equals(subject)).toList();
            if (now.size() >= count) {
                return now;
            }
            sleep();
        }
        throw new AssertionError("Not " + count + " notice(s) '" + subject + "' to " + to + " within " + WAIT_MILLIS
                + " ms; got " + noticesTo(t, to));
    }

    /**
     * Runs {@code action} and returns the first mail to {@code to} sent after it started, security notices left
     * out (a notice of an earlier event may arrive meanwhile).
     */
    public static Mail next(TestAccounts t, String to, Runnable action) {
        int before = to(t, to).size();
        action.run();
        for (int waited = 0; waited < WAIT_MILLIS; waited += 10) {
            List<Mail> now = to(t, to);
            if (now.size() > before) {
                return now.get(before);
            }
            sleep();
        }
        throw new AssertionError("No new mail to " + to + " within " + WAIT_MILLIS + " ms");
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for mail", e);
        }
    }
}
