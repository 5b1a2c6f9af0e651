package io.github.accounts.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.accounts.web.TestClient.Reply;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP server (GreenMail) the demo mails through, for tests that read a mailed token the way a person would, e.g.
 * to verify an address before adding a second factor or a passkey (which needs a verified email). Not thread-safe.
 */
final class Inbox implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));

    Inbox() {
        smtp.start();
    }

    /** The variables that make the demo mail here. */
    Map<String, String> mailUrl() {
        return Map.of("MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com");
    }

    /** Verifies the address of the session's user with the token mailed to {@code email}, over the JSON routes. */
    void verify(TestApp app, String email, String sessionToken) {
        int before = smtp.getReceivedMessages().length;
        Reply asked = app.send("POST", "/accounts/email-verifications", null, sessionToken);
        if (asked.status() != 202) {
            throw new AssertionError("Verification mail refused: " + asked.body());
        }
        Reply confirmed = app.send("POST", "/accounts/email-verifications/confirm",
                Map.of("token", tokenMailedTo(email, "Verify your email address", before)), null);
        if (confirmed.status() != 200) {
            throw new AssertionError("Verification refused: " + confirmed.body());
        }
    }

    /** How many mails arrived so far: the {@code skip} of a later {@link #tokenMailedTo}. */
    int received() {
        return smtp.getReceivedMessages().length;
    }

    /** The token in the first mail to {@code address} with {@code subject} after the first {@code skip} mails. */
    String tokenMailedTo(String address, String subject, int skip) {
        Matcher token = TOKEN.matcher(mailTo(address, subject, skip));
        if (!token.find()) {
            throw new AssertionError("No token in the mail '" + subject + "' to " + address);
        }
        return token.group();
    }

    /**
     * The text of the first mail to {@code address} after the first {@code skip} mails, with {@code subject} unless
     * it is null; waits up to 30 s for it.
     */
    String mailTo(String address, String subject, int skip) {
        try {
            for (int waited = 0; waited < 30_000; waited += 10) {
                MimeMessage[] all = smtp.getReceivedMessages();
                for (int i = skip; i < all.length; i++) {
                    if (((InternetAddress) all[i].getAllRecipients()[0]).getAddress().equals(address)
                            && (subject == null || subject.equals(all[i].getSubject()))) {
                        return (String) all[i].getContent();
                    }
                }
                Thread.sleep(10);
            }
        } catch (MessagingException | IOException e) {
            throw new AssertionError("Unreadable mail to " + address, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted waiting for mail to " + address, e);
        }
        throw new AssertionError("No mail " + (subject == null ? "" : "'" + subject + "' ") + "to " + address);
    }

    @Override
    public void close() {
        smtp.stop();
    }
}
