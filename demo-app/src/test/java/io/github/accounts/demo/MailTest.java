package io.github.accounts.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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
}
