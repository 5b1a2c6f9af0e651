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

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page's "change email" (email.js) in headless Chromium, with the demo mailing through GreenMail so the
 * test reads the token the way a person would; skipped, like {@link BrowserTest}, without Debian's Chromium
 * ({@link Chromium}).
 */
class EmailChangePageTest {
    private static GreenMail smtp;
    private static TestApp app;
    private static Chromium chromium;

    @BeforeAll
    static void start(@TempDir Path profile) {
        Chromium.assumeInstalled();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        app = new TestApp(Map.of("MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
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

    private static String tokenMailedTo(String address) throws Exception {
        for (int i = 0; i < 3_000; i++) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(address)) {
                    Matcher token = Pattern.compile("[A-Za-z0-9_-]{43}").matcher((String) m.getContent());
                    assertThat(token.find()).isTrue();
                    return token.group();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No mail to " + address);
    }

    @Test
    void aSignedInPersonChangesTheirEmailAndConfirmsItThroughTheLinksFragment() throws Exception {
        WebDriver browser = chromium.browser();
        WebDriverWait wait = chromium.await();
        chromium.signUp("page.old@example.org", "Eve", "Mailer");

        browser.findElement(By.id("change-email-new")).sendKeys("page.new@example.org");
        browser.findElement(By.id("change-email-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("change-email-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "on its way"));

        browser.get(app.base + "/#email-change-token=" + tokenMailedTo("page.new@example.org"));
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as page.old@example.org"));
        assertThat(browser.getCurrentUrl()).doesNotContain("email-change-token");
        browser.findElement(By.id("confirm-email-submit")).click();

        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as page.new@example.org"));
        assertThat(browser.findElement(By.id("message")).getText()).contains("now uses page.new@example.org");
        assertThat(browser.findElement(By.id("me")).getText()).contains("Email verified\nyes");
    }
}
