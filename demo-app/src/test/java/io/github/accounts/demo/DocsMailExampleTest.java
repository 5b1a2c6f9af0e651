package io.github.accounts.demo;

import io.github.accounts.core.HostSecret;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.mail.Mailer;
import io.github.accounts.core.mail.Notifications;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.mail.smtp.SmtpMailer;
import io.github.accounts.mail.smtp.SmtpSettings.Security;
import io.github.accounts.mail.smtp.SmtpSettings;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the snippets of docs/guide/mail.md and docs/guide/email-change.md as written; DocsSnippetsTest checks that the
 * two agree.
 */
class DocsMailExampleTest {
    private static final String PASSWORD = "a long and unusual passphrase";

    /** Stands in for the host's mail service in the snippets. */
    private final Smtp smtp = new Smtp();
    private final HostSecret secret = HostSecret.development();
    private final EntityManagerFactory emf =
            Accounts.entityManagerFactory(TestDatabase.H2.freshMigratedDataSource(), Map.of());

    static final class Smtp {
        final List<String> sent = new CopyOnWriteArrayList<>();

        void send(String to, String subject, String body) {
            sent.add(to + ": " + subject);
        }
    }

    @AfterEach
    void closeFactory() {
        emf.close();
    }

    @Test
    void aMailerOfTheHostsSendsThePasswordResetMail() throws InterruptedException {
        // --- docs snippet starts
        Mailer mailer = (to, subject, body) -> smtp.send(to, subject, body);   // your mail service
        Accounts accounts = Accounts.builder(emf).secret(secret).mailer(mailer).build();
        // --- docs snippet ends
        try (accounts) {
            accounts.signIns().signUp(new NewUser("ada@example.com", "Ada", "Lovelace", PASSWORD), ClientInfo.unknown());
            accounts.mail().requestPasswordReset("ada@example.com", ClientInfo.unknown());
            awaitMail();
        }
        assertThat(smtp.sent).anyMatch(m -> m.startsWith("ada@example.com: "));
    }

    @Test
    void theSmtpMailerIsBuiltFromItsSettings() {
        String user = "mailer";
        String password = "its password";
        // --- docs snippet starts
        SmtpMailer mailer = SmtpMailer.create(SmtpSettings.of("smtp.example.com", 587, Security.STARTTLS,
                "Accounts <accounts@example.com>").withLogin(user, password).withReplyTo("help@example.com"));
        Accounts accounts = Accounts.builder(emf).secret(secret).mailer(mailer).build();
        // on shutdown: accounts.close(); mailer.close();
        // --- docs snippet ends
        accounts.close();
        mailer.close();
        assertThat(mailer.pending()).isZero();
    }

    @Test
    void notificationsCanLeaveOutNewSignIns() throws InterruptedException {
        Mailer mailer = (to, subject, body) -> smtp.send(to, subject, body);
        // --- docs snippet starts
        Accounts accounts = Accounts.builder(emf).mailer(mailer)
                .secret(secret) // not in the docs
                .notifications(Notifications.all().without(Notifications.Type.NEW_SIGN_IN))
                .build();
        // --- docs snippet ends
        try (accounts) {
            accounts.signIns().signUp(new NewUser("bob@example.com", "Bob", "Builder", PASSWORD), ClientInfo.unknown());
            accounts.signIns().signIn("bob@example.com", PASSWORD, new ClientInfo("Mozilla/5.0 (X11; Linux) Firefox/140.0",
                    "198.51.100.9"));
            accounts.mail().requestPasswordReset("bob@example.com", ClientInfo.unknown());
            awaitMail();
        }
        assertThat(smtp.sent).noneMatch(m -> m.contains("sign-in"));
    }

    /** Mail leaves on a background thread; wait for the first one (the reset mail in both tests). */
    private void awaitMail() throws InterruptedException {
        for (int waited = 0; waited < 5_000 && smtp.sent.isEmpty(); waited += 10) {
            Thread.sleep(10);
        }
    }
}
