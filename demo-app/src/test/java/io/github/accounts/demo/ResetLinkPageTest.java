package io.github.accounts.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's reset mail links to the demo page ({@code http://localhost:<PORT>/#reset-token=...}), whose
 * mail-links.js fills the new-password form from the fragment: in headless Chromium, with the demo mailing through
 * GreenMail; skipped, like {@link BrowserTest}, without Debian's Chromium ({@link Chromium}).
 */
class ResetLinkPageTest {
    private static final String NEW_PASSWORD = "a brand new lengthy passphrase";

    private static GreenMail smtp;
    private static TestApp app;
    private static Chromium chromium;
    private static int port;

    @BeforeAll
    static void start(@TempDir Path profile) throws Exception {
        Chromium.assumeInstalled();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // a fixed port, so the demo's mails link to http://localhost:<port>
        }
        app = new TestApp(Map.of("PORT", Integer.toString(port),
                "MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com"));
        chromium = Chromium.start(app.base, profile);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (app != null) {
            app.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void theResetMailsLinkOpensTheDemoPageReadyForTheNewPassword() throws Exception {
        app.signUp("reset.page@example.org", "Rae");
        assertThat(app.send("POST", "/accounts/password-resets", Map.of("email", "reset.page@example.org"), null)
                .status()).isEqualTo(202);
        Matcher link = Pattern.compile("http://localhost:" + port + "/#reset-token=([A-Za-z0-9_-]{43})")
                .matcher(mailTo("reset.page@example.org"));
        assertThat(link.find()).isTrue();
        WebDriver browser = chromium.browser();
        WebDriverWait wait = chromium.await();

        browser.get(link.group());

        wait.until(ExpectedConditions.attributeToBe(By.id("reset-token"), "value", link.group(1)));
        assertThat(browser.getCurrentUrl()).doesNotContain("reset-token");
        browser.findElement(By.id("reset-password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.id("reset-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Your password is changed"));
        assertThat(app.send("POST", "/accounts/sessions",
                Map.of("email", "reset.page@example.org", "password", NEW_PASSWORD), null).status()).isEqualTo(201);
    }

    private static String mailTo(String address) throws Exception {
        for (int i = 0; i < 3_000; i++) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(address)) {
                    return (String) m.getContent();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No mail to " + address);
    }
}
