package io.github.accounts.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.accounts.web.TestClient.Reply;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in by email through demo-app, its mail received by a real SMTP server in this JVM (GreenMail). */
class EmailSignInMailTest {
    private static final Pattern LINK = Pattern.compile("http://localhost:8080/#email-sign-in-token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("\\n(\\d{3}) (\\d{3})\\r?\\n");

    @Test
    void theMailedLinkAndCodeEachSignInOnceAndAnUnknownAddressIsToldToSignUp() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        try (TestApp app = new TestApp(Map.of(
                "MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com", "PUBLIC_URL", "http://localhost:8080"))) {
            app.signUp("ada@example.org", "Ada");

            assertThat(request(app, "ada@example.org").status()).isEqualTo(202);
            assertThat(smtp.waitForIncomingEmail(30_000, 1)).isTrue();
            String body = content(received(smtp, "ada@example.org", "Your sign-in link", 0));
            Matcher link = LINK.matcher(body);
            assertThat(link.find()).as(body).isTrue();
            Reply byLink = app.send("POST", "/accounts/sessions/email/confirm", Map.of("token", link.group(1)), null);
            assertThat(byLink.status()).as(byLink.body()).isEqualTo(201);
            assertThat(byLink.json().at("/user/email_verified").asBoolean()).isTrue();
            assertThat(app.send("POST", "/accounts/sessions/email/confirm", Map.of("token", link.group(1)), null)
                    .status()).isEqualTo(401);

            assertThat(request(app, "ada@example.org").status()).isEqualTo(202);
            assertThat(request(app, "nobody@example.org").status()).isEqualTo(202);
            assertThat(smtp.waitForIncomingEmail(30_000, 3)).isTrue();
            Matcher code = CODE.matcher(content(received(smtp, "ada@example.org", "Your sign-in link", 1)));
            assertThat(code.find()).isTrue();
            Map<String, String> proof = Map.of("email", "ada@example.org", "code", code.group(1) + "-" + code.group(2));
            Reply byCode = app.send("POST", "/accounts/sessions/email/confirm", proof, null);
            assertThat(byCode.status()).as(byCode.body()).isEqualTo(201);
            assertThat(app.send("POST", "/accounts/sessions/email/confirm", proof, null).status()).isEqualTo(401);
            assertThat(content(received(smtp, "nobody@example.org", "Sign-in attempt", 0)))
                    .contains("no account").doesNotContain("email-sign-in-token");
        } finally {
            smtp.stop();
        }
    }

    private static Reply request(TestApp app, String email) {
        return app.send("POST", "/accounts/sessions/email", Map.of("email", email), null);
    }

    private static String content(MimeMessage m) throws Exception {
        return (String) m.getContent();
    }

    /**
     * The {@code index}th message {@code smtp} received for {@code to} with {@code subject}, waiting up to 30 s for it:
     * other mails (security notices of the sign-ins) may arrive in between, so counting mails does not say it came.
     */
    private static MimeMessage received(GreenMail smtp, String to, String subject, int index) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return receivedNow(smtp, to, subject, index);
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                smtp.waitForIncomingEmail(200, smtp.getReceivedMessages().length + 1);
            }
        }
    }

    private static MimeMessage receivedNow(GreenMail smtp, String to, String subject, int index) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return ((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(to)
                        && m.getSubject().equals(subject);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).skip(index).findFirst().orElseThrow(() -> new AssertionError("No mail '" + subject + "' to " + to));
    }
}
