package io.github.accounts.mail.smtp;

import com.icegreen.greenmail.util.GreenMail;
import io.github.accounts.mail.smtp.SmtpSettings.Security;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.github.accounts.mail.smtp.Servers.FROM;
import static io.github.accounts.mail.smtp.Servers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpMailerTest {
    /** A retry an hour away: a message still pending would show that a permanent failure was retried. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private GreenMail greenMail(String protocol) {
        GreenMail server = Servers.greenMail(Servers.freePort(), protocol);
        toClose.add(server::stop);
        return server;
    }

    private SmtpMailer mailer(SmtpSettings settings) {
        SmtpMailer mailer = SmtpMailer.create(settings);
        toClose.add(mailer);
        return mailer;
    }

    @Test
    void aMessageArrivesWithSenderReplyToSubjectAndPlainTextBody() throws Exception {
        GreenMail server = greenMail("smtp");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtp().getPort(), Security.NONE,
                "Accounts <" + FROM + ">").withReplyTo("help@example.com"));

        mailer.send("ada@example.org", "Reset your password", "Your code: abc-123 \u00e9t\u00e9\n");

        assertThat(server.waitForIncomingEmail(30_000, 1)).isTrue();
        MimeMessage got = server.getReceivedMessages()[0];
        assertThat(((InternetAddress) got.getFrom()[0]).getAddress()).isEqualTo(FROM);
        assertThat(((InternetAddress) got.getReplyTo()[0]).getAddress()).isEqualTo("help@example.com");
        assertThat(((InternetAddress) got.getAllRecipients()[0]).getAddress()).isEqualTo("ada@example.org");
        assertThat(got.getSubject()).isEqualTo("Reset your password");
        assertThat(got.getContentType()).startsWith("text/plain");
        assertThat((String) got.getContent()).isEqualToIgnoringNewLines("Your code: abc-123 \u00e9t\u00e9");
        assertThat(got.getMessageID()).endsWith("@example.com>");
        await(() -> mailer.pending() == 0);
    }

    @Test
    void aWrongPasswordIsAPermanentFailureAndNotRetried() throws Exception {
        GreenMail server = greenMail("smtp");
        server.setUser("mailer@example.com", "mailer", "right password");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtp().getPort(), Security.NONE, FROM)
                .withLogin("mailer", "wrong password").withRetries(100, NEVER));

        mailer.send("ada@example.org", "Verify your email", "body");

        await(() -> mailer.pending() == 0);
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void aMessageGivenUpOnIsReportedOnceWithItsMessageId() throws Exception {
        GreenMail server = greenMail("smtp");
        server.setUser("mailer@example.com", "mailer", "right password");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtp().getPort(), Security.NONE, FROM)
                .withLogin("mailer", "wrong password").withRetries(100, NEVER));
        List<String> reported = new CopyOnWriteArrayList<>();

        mailer.send("ada@example.org", "Verify your email", "token abc", (id, reason) -> reported.add(id + " " + reason));

        // the message leaves pending() just before its report runs, on the mailer's thread
        await(() -> mailer.pending() == 0 && !reported.isEmpty());
        assertThat(reported).singleElement().asString().matches("<[0-9a-f-]{36}@example\\.com> not sent after 1 attempt.*")
                .doesNotContain("token abc");
    }

    @Test
    void messagesRefusedByAFullQueueOrLeftAtCloseAreReported() throws Exception {
        Servers.Silent silent = new Servers.Silent();
        toClose.add(silent);
        SmtpMailer mailer = SmtpMailer.create(SmtpSettings.of("127.0.0.1", silent.port(), Security.NONE, FROM)
                .withTimeout(Duration.ofMinutes(5)).withQueueCapacity(1));
        List<String> reported = new CopyOnWriteArrayList<>();

        mailer.send("a@example.org", "one", "body", (id, reason) -> reported.add("one: " + reason));
        await(() -> silent.accepted.size() == 1);
        mailer.send("b@example.org", "two", "body", (id, reason) -> reported.add("two: " + reason));
        assertThat(reported).containsExactly("two: the SMTP queue is full");
        mailer.close();

        assertThat(reported).containsExactly("two: the SMTP queue is full",
                "one: the mailer was closed before it went out");
    }

    @Test
    void theRightPasswordLogsIn() throws Exception {
        GreenMail server = greenMail("smtp");
        server.setUser("mailer@example.com", "mailer", "right password");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtp().getPort(), Security.NONE, FROM)
                .withLogin("mailer", "right password"));

        mailer.send("ada@example.org", "Verify your email", "body");

        assertThat(server.waitForIncomingEmail(30_000, 1)).isTrue();
    }

    @Test
    void aServerThatIsBusyAndThenDownGetsTheMessageOnceItIsUp() throws Exception {
        int port = Servers.freePort();
        SmtpMailer mailer;
        try (ServerSocket busy = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            mailer = mailer(SmtpSettings.of("127.0.0.1", port, Security.NONE, FROM)
                    .withRetries(30, Duration.ofMillis(50)));
            mailer.send("ada@example.org", "Verify your email", "body");
            try (Socket first = busy.accept(); OutputStream out = first.getOutputStream()) {
                out.write("421 Too busy, try later\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        // Down for a while (connections refused), then up on the same port.
        Thread.sleep(300);
        GreenMail server = Servers.greenMail(port, "smtp");
        toClose.add(server::stop);

        assertThat(server.waitForIncomingEmail(30_000, 1)).isTrue();
        assertThat(server.getReceivedMessages()[0].getSubject()).isEqualTo("Verify your email");
        await(() -> mailer.pending() == 0);
    }

    @Test
    void aFullQueueRefusesTheNextMessageAndKeepsTheOthers() throws Exception {
        Servers.Silent silent = new Servers.Silent();
        toClose.add(silent);
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", silent.port(), Security.NONE, FROM)
                .withTimeout(Duration.ofMinutes(5)).withQueueCapacity(2));

        mailer.send("a@example.org", "one", "body");
        await(() -> silent.accepted.size() == 1); // the first is now stuck on the silent server
        mailer.send("b@example.org", "two", "body");
        mailer.send("c@example.org", "three", "body");

        assertThat(mailer.pending()).isEqualTo(2);
        assertThat(silent.accepted).hasSize(1);
    }

    @Test
    void aServerWithoutStartTlsGetsNothingWhenStartTlsIsRequired() throws Exception {
        GreenMail server = greenMail("smtp");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtp().getPort(), Security.STARTTLS, FROM)
                .withRetries(100, NEVER));

        mailer.send("ada@example.org", "Verify your email", "body");

        await(() -> mailer.pending() == 0);
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void starttlsUpgradesTheConnectionToAPinnedCertificate() throws Exception {
        GreenMail server = greenMail("smtp");
        Servers.StartTlsFront front = new Servers.StartTlsFront(server.getSmtp().getPort());
        toClose.add(front);
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", front.port(), Security.STARTTLS, FROM)
                .withPinnedCertificate(Servers.greenMailCertificate()));

        mailer.send("ada@example.org", "Verify your email", "body");

        assertThat(server.waitForIncomingEmail(30_000, 1)).isTrue();
    }

    @Test
    void implicitTlsSendsToAPinnedCertificate() throws Exception {
        GreenMail server = greenMail("smtps");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtps().getPort(), Security.TLS, FROM)
                .withPinnedCertificate(Servers.greenMailCertificate()));

        mailer.send("ada@example.org", "Verify your email", "body");

        assertThat(server.waitForIncomingEmail(30_000, 1)).isTrue();
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefaultAndNotRetried() throws Exception {
        GreenMail server = greenMail("smtps");
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", server.getSmtps().getPort(), Security.TLS, FROM)
                .withRetries(100, NEVER));

        mailer.send("ada@example.org", "Verify your email", "body");

        await(() -> mailer.pending() == 0);
        assertThat(server.getReceivedMessages()).isEmpty();
    }

    @Test
    void retriesWaitTwiceAsLongEachTimeUpToFiveMinutes() {
        SmtpMailer mailer = mailer(SmtpSettings.of("127.0.0.1", 25, Security.NONE, FROM)
                .withRetries(30, Duration.ofSeconds(2)));

        assertThat(mailer.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(mailer.delayAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(mailer.delayAfter(29)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void plainSmtpBeyondThisHostIsRefusedInOneLineNamingTheSettingWithOrWithoutALogin() {
        assertThatThrownBy(() -> SmtpSettings.of("mail.example.com", 25, Security.NONE, FROM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SmtpSettings.security NONE would send mail (its sign-in and reset links) in clear text "
                        + "to mail.example.com; use STARTTLS or TLS (NONE is for a server on this host only)");
        assertThat(SmtpSettings.of("mail.example.com", 587, Security.STARTTLS, FROM).withLogin("mailer", "pw")
                .username()).isEqualTo("mailer");
        assertThat(SmtpSettings.of("localhost", 25, Security.NONE, FROM).withLogin("mailer", "pw").username())
                .isEqualTo("mailer");
        assertThat(SmtpSettings.of("127.0.0.1", 25, Security.NONE, FROM).security()).isEqualTo(Security.NONE);
    }

    @Test
    void settingsNeverShowThePassword() {
        SmtpSettings settings = SmtpSettings.of("mail.example.com", 587, Security.STARTTLS, FROM)
                .withLogin("mailer", "s3cret-pass");

        assertThat(settings.toString()).contains("mailer").doesNotContain("s3cret-pass");
    }
}
