package io.github.accounts.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** demo-app with {@code MAIL_URL} naming a real SMTP server in this JVM, over HTTP. */
class MailTest {

    @Test
    void aPasswordResetIsMailedThroughTheServerInMailUrlFromMailFrom() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        try (TestApp app = new TestApp(Map.of(
                "MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "Accounts <accounts@example.com>"))) {
            app.signUp("ada@example.org", "Ada");

            assertThat(app.send("POST", "/accounts/password-resets", Map.of("email", "ada@example.org"), null)
                    .status()).isEqualTo(202);

            assertThat(smtp.waitForIncomingEmail(30_000, 1)).isTrue();
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getSubject()).isEqualTo("Reset your password");
            assertThat(((InternetAddress) mail.getFrom()[0]).getAddress()).isEqualTo("accounts@example.com");
            assertThat(((InternetAddress) mail.getAllRecipients()[0]).getAddress()).isEqualTo("ada@example.org");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aMailServerThatNeverAnswersDelaysNoHttpAnswer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never a word
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (TestApp app = new TestApp(Map.of(
                    "MAIL_URL", "smtp://127.0.0.1:" + silent.getLocalPort() + "?starttls=false&timeout=300",
                    "MAIL_FROM", "accounts@example.com"))) {
                String session = app.signUp("ada@example.org", "Ada");
                assertThat(app.send("POST", "/accounts/password-resets", Map.of("email", "ada@example.org"), null)
                        .status()).isEqualTo(202);
                for (int i = 0; i < 3_000 && accepted.isEmpty(); i++) {
                    Thread.sleep(10);
                }
                assertThat(accepted).as("the reset mail is being sent to the silent server").hasSize(1);

                // The reset mail waits for a greeting for up to 300 s; these answers do not wait for it.
                assertThat(app.send("POST", "/accounts/email-verifications", null, session).status()).isEqualTo(202);
                assertThat(app.send("POST", "/accounts/password-resets", Map.of("email", "ada@example.org"), null)
                        .status()).isEqualTo(202);
                assertThat(accepted).as("still the first attempt of the first mail").hasSize(1);
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    void anEmailChangeMailsTheTokenToTheNewAddressAndTheNoticeToTheOldOne() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        try (TestApp app = new TestApp(Map.of(
                "MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com"))) {
            String session = app.signUp("old@example.org", "Ada");

            assertThat(app.send("POST", "/accounts/users/me/email",
                    Map.of("new_email", "new@example.org", "password", TestApp.PASSWORD), session).status())
                    .isEqualTo(202);
            assertThat(smtp.waitForIncomingEmail(30_000, 2)).isTrue();
            // the old address hears of the request at once; the mailer may deliver the two in either order
            MimeMessage told = received(smtp, "old@example.org", "Someone asked to change your email address");
            assertThat((String) told.getContent()).contains("n***@example.org").doesNotContain("new@example.org");
            MimeMessage confirmation = received(smtp, "new@example.org", "Confirm your new email address");
            Matcher token = Pattern.compile("[A-Za-z0-9_-]{43}").matcher((String) confirmation.getContent());
            assertThat(token.find()).isTrue();
            Reply confirmed = app.send("POST", "/accounts/users/me/email/confirm", Map.of("token", token.group()), null);

            assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
            assertThat(confirmed.json().path("user").path("email").asText()).isEqualTo("new@example.org");
            assertThat(smtp.waitForIncomingEmail(30_000, 3)).isTrue();
            MimeMessage notice = received(smtp, "old@example.org", "Your email address was changed");
            assertThat((String) notice.getContent()).contains("n***@example.org").contains("127.0.0.1");
        } finally {
            smtp.stop();
        }
    }

    /** The one message {@code smtp} received for {@code to} with {@code subject}. */
    private static MimeMessage received(GreenMail smtp, String to, String subject) throws Exception {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(to) && m.getSubject().equals(subject)) {
                found.add(m);
            }
        }
        assertThat(found).as("one '" + subject + "' to " + to).hasSize(1);
        return found.get(0);
    }

    @Test
    void mailTheServerRefusesBecomesAMailFailedEventOfTheAccount() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.setUser("mailer@example.com", "mailer", "right password");
        smtp.start();
        try (TestApp app = new TestApp(Map.of(
                "MAIL_URL", "smtp://mailer:wrong@127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com"))) {
            String session = app.signUp("ada@example.org", "Ada");

            assertThat(app.send("POST", "/accounts/email-verifications", null, session).status()).isEqualTo(202);

            JsonNode failed = null;
            for (int i = 0; i < 3_000 && failed == null; i++) {
                for (JsonNode event : app.get("/accounts/users/me/events", session).json().path("events")) {
                    if (event.path("type").asText().equals("mail.failed")) {
                        failed = event;
                    }
                }
                Thread.sleep(10);
            }
            assertThat(failed).as("a mail.failed event").isNotNull();
            assertThat(failed.path("detail").path("kind").asText()).isEqualTo("email_verification");
            assertThat(failed.path("detail").path("message_id").asText()).matches("<[0-9a-f-]{36}@example\\.com>");
            assertThat(smtp.getReceivedMessages()).isEmpty();
        } finally {
            smtp.stop();
        }
    }
}
