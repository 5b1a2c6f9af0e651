package io.github.accounts.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.mail.MailTemplate;
import io.github.accounts.core.mail.MailTemplates;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.mail.smtp.SmtpMailer;
import io.github.accounts.mail.smtp.SmtpSettings;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.TestClient;
import io.github.accounts.web.TestClient.Reply;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import spark.Service;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host's mails over real SMTP (GreenMail): the action is a link to the host's page with the token in the fragment,
 * the host's templates replace accounts' English in the language the request's {@code Accept-Language} prefers, and
 * a template with HTML goes out as text and HTML. Runs the snippet of docs/guide/mail.md on templates.
 */
class MailTemplatesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final String NEW_PASSWORD = "a quite different long passphrase";
    private static final Pattern RESET_LINK = Pattern.compile("https://app\\.example/#reset-token=([A-Za-z0-9_-]{43})");

    private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    private HikariDataSource dataSource;
    private SmtpMailer mailer;
    private Accounts accounts;
    private Service http;
    private TestClient client;

    @BeforeEach
    void startMailServer() {
        smtp.start();
        dataSource = TestDatabase.H2.freshMigratedDataSource();
        mailer = SmtpMailer.create(SmtpSettings.of("127.0.0.1", smtp.getSmtp().getPort(), SmtpSettings.Security.NONE,
                "accounts@example.com"));
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.stop();
            http.awaitStop();
        }
        if (accounts != null) {
            accounts.close();
        }
        mailer.close();
        dataSource.close();
        smtp.stop();
    }

    @Test
    void aResetMailLinksToThePublicUrlWithTheTokenInItsFragmentAndThatTokenResets() throws Exception {
        serve(b -> b.publicUrl(URI.create("https://app.example")));
        signUp("link@example.org");

        MimeMessage mail = resetMailFor("link@example.org", null);

        assertThat(mail.getSubject()).isEqualTo("Reset your password");
        assertThat(mail.getContentType()).startsWith("text/plain");
        String text = (String) mail.getContent();
        Matcher link = RESET_LINK.matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertThat(text.replace(link.group(), "")).as("the token only in the link")
                .doesNotContain(link.group(1));
        assertResetWorks("link@example.org", link.group(1));
    }

    @Test
    void theHostsTemplateInTheLanguageAcceptLanguagePrefersGoesOutAsTextAndHtml() throws Exception {
        // --- docs snippet starts
        MailTemplates templates = new MailTemplates() {
            @Override
            public MailTemplate template(MailTemplates.Kind kind, Locale locale) {
                if (kind != MailTemplates.Kind.RESET_PASSWORD) {
                    return null;                                   // accounts' own English
                }
                return locale.getLanguage().equals("de")
                        ? MailTemplate.of("Passwort zurücksetzen", "Neues Passwort ({minutes} Minuten):\n{link}\n")
                                .withHtml("<p><a href=\"{link}\">Neues Passwort wählen</a> ({minutes} Minuten)</p>")
                        : MailTemplate.of("Reset your Example password", "Within {minutes} minutes:\n{link}\n");
            }

            @Override
            public List<Locale> locales() {
                return List.of(Locale.ENGLISH, Locale.GERMAN);     // English when Accept-Language names neither
            }
        };
        AccountsBuilder builder = Accounts.builder(dataSource).mailer(mailer)
                .publicUrl(URI.create("https://app.example"))       // links open https://app.example/#reset-token=...
                .mailTemplates(templates);
        // --- docs snippet ends
        serve(builder);
        signUp("lang@example.org");

        MimeMessage mail = resetMailFor("lang@example.org", "de-CH, en;q=0.8");

        assertThat(mail.getSubject()).isEqualTo("Passwort zurücksetzen");
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        Matcher link = RESET_LINK.matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertThat(text).startsWith("Neues Passwort (30 Minuten):");
        assertThat(html).contains("<a href=\"" + link.group() + "\">Neues Passwort wählen</a> (30 Minuten)");
        assertResetWorks("lang@example.org", link.group(1));
    }

    @Test
    void aLanguageTheHostLacksGetsItsFirstAndAKindItLeavesOutKeepsTheEnglish() throws Exception {
        MailTemplates templates = new MailTemplates() {
            @Override
            public MailTemplate template(MailTemplates.Kind kind, Locale locale) {
                return kind != MailTemplates.Kind.RESET_PASSWORD ? null : locale.getLanguage().equals("de")
                        ? MailTemplate.of("Passwort zurücksetzen", "{link}\n")
                        : MailTemplate.of("Reset your Example password", "Within {minutes} minutes:\n{link}\n");
            }

            @Override
            public List<Locale> locales() {
                return List.of(Locale.ENGLISH, Locale.GERMAN);
            }
        };
        serve(b -> b.publicUrl(URI.create("https://app.example")).mailTemplates(templates));
        String session = signUp("first@example.org");

        MimeMessage reset = resetMailFor("first@example.org", "fr-FR, fr;q=0.9");
        assertThat(reset.getSubject()).isEqualTo("Reset your Example password");
        assertThat(reset.getContentType()).startsWith("text/plain");

        int before = smtp.getReceivedMessages().length;
        assertThat(client.send("POST", "/accounts/email-verifications", null, session, "Accept-Language", "de")
                .status()).isEqualTo(202);
        MimeMessage verification = mailAfter(before, "first@example.org");
        assertThat(verification.getSubject()).isEqualTo("Verify your email address");
        Matcher link = Pattern.compile("https://app\\.example/#verify-email-token=([A-Za-z0-9_-]{43})")
                .matcher((String) verification.getContent());
        assertThat(link.find()).isTrue();
        Reply verified = client.send("POST", "/accounts/email-verifications/confirm", Map.of("token", link.group(1)),
                null);
        assertThat(verified.status()).as(verified.body()).isEqualTo(200);
        assertThat(verified.json().path("user").path("email_verified").asBoolean()).isTrue();
    }

    @Test
    void aPageOfItsOwnTakesTheLinkOfItsKind() throws Exception {
        serve(b -> b.publicUrl(URI.create("https://app.example"))
                .mailPage(MailTemplates.Kind.RESET_PASSWORD, URI.create("https://app.example/reset")));
        signUp("page@example.org");

        String text = (String) resetMailFor("page@example.org", null).getContent();

        Matcher link = Pattern.compile("https://app\\.example/reset#reset-token=([A-Za-z0-9_-]{43})\r?\n").matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertResetWorks("page@example.org", link.group(1));
    }

    private void serve(UnaryOperator<AccountsBuilder> settings) {
        serve(settings.apply(Accounts.builder(dataSource).mailer(mailer)));
    }

    private void serve(AccountsBuilder builder) {
        accounts = builder.developmentKeys().build(); // a host gives its secret(...)
        http = Service.ignite().ipAddress("127.0.0.1").port(0);
        AccountsRoutes.builder(accounts).build().mount(http, "/accounts");
        http.init();
        http.awaitInitialization();
        client = new TestClient("http://127.0.0.1:" + http.port());
    }

    private String signUp(String email) {
        Reply r = client.send("POST", "/accounts/users",
                Map.of("email", email, "fname", "Mia", "lname", "Mailer", "password", PASSWORD), null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("session").path("session_token").asText();
    }

    /** Asks for a reset of {@code email}, with that {@code Accept-Language} unless null; the mail it sends. */
    private MimeMessage resetMailFor(String email, String acceptLanguage) throws Exception {
        int before = smtp.getReceivedMessages().length;
        Reply asked = acceptLanguage == null
                ? client.send("POST", "/accounts/password-resets", Map.of("email", email), null)
                : client.send("POST", "/accounts/password-resets", Map.of("email", email), null,
                "Accept-Language", acceptLanguage);
        assertThat(asked.status()).isEqualTo(202);
        return mailAfter(before, email);
    }

    private MimeMessage mailAfter(int before, String to) throws Exception {
        for (int waited = 0; waited < 30_000; waited += 10) {
            MimeMessage[] all = smtp.getReceivedMessages();
            for (int i = before; i < all.length; i++) {
                if (((InternetAddress) all[i].getAllRecipients()[0]).getAddress().equals(to)) {
                    return all[i];
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No mail to " + to);
    }

    /** The token from the link sets a new password, which then signs in. */
    private void assertResetWorks(String email, String token) {
        Reply reset = client.send("POST", "/accounts/password-resets/confirm",
                Map.of("token", token, "new_password", NEW_PASSWORD), null);
        assertThat(reset.status()).as(reset.body()).isEqualTo(204);
        assertThat(client.send("POST", "/accounts/sessions", Map.of("email", email, "password", NEW_PASSWORD), null)
                .status()).isEqualTo(201);
    }
}
