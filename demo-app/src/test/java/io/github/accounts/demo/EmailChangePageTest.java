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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The home page's "change email" (email.js) in headless Chromium, with the demo mailing through GreenMail so the
 * test reads the token the way a person would; skipped, like {@link BrowserTest}, without Debian's Chromium.
 */
class EmailChangePageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static GreenMail smtp;
    private static TestApp app;
    private static WebDriver browser;

    @BeforeAll
    static void start(@TempDir Path profile) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser test skipped: no " + CHROMIUM + " or " + CHROMEDRIVER);
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        app = new TestApp(Map.of("MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com"));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,1000", "--user-data-dir=" + profile.toAbsolutePath());
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
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
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(app.base + "/");
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        browser.findElement(By.id("sign-up-email")).sendKeys("page.old@example.org");
        browser.findElement(By.id("sign-up-fname")).sendKeys("Eve");
        browser.findElement(By.id("sign-up-lname")).sendKeys("Mailer");
        browser.findElement(By.id("sign-up-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("sign-up-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Eve!"));

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
