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
 * The home page's "Email me a sign-in link" (email-sign-in.js) in headless Chromium, the demo mailing through
 * GreenMail: opening the mailed link signs the page in and takes the token out of the address bar, and the mailed
 * code typed into the code box does too. Skipped, like {@link BrowserTest}, without Debian's Chromium.
 */
class EmailSignInPageTest {
    private static final Pattern TOKEN = Pattern.compile("/#email-sign-in-token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("\\n(\\d{3}) (\\d{3})\\r?\\n");
    private static GreenMail smtp;
    private static TestApp app;
    private static Chromium chromium;

    @BeforeAll
    static void start(@TempDir Path profile) throws Exception {
        Chromium.assumeInstalled();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
        smtp.start();
        int port; // a port of its own, so that the demo writes links (to http://localhost:<port>)
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        app = new TestApp(Map.of("MAIL_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?starttls=false",
                "MAIL_FROM", "accounts@example.com", "PORT", Integer.toString(port)));
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

    /** The body of the {@code n}th sign-in mail to {@code address} (from 1), waiting for it. */
    private static String signInMail(String address, int n) throws Exception {
        for (int i = 0; i < 3_000; i++) {
            int seen = 0;
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (((InternetAddress) m.getAllRecipients()[0]).getAddress().equals(address)
                        && m.getSubject().equals("Your sign-in link") && ++seen == n) {
                    return (String) m.getContent();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No sign-in mail " + n + " to " + address);
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.groupCount() == 1 ? m.group(1) : m.group(1) + m.group(2);
    }

    private static void askForALink(WebDriver browser, WebDriverWait wait, String email) {
        browser.findElement(By.id("email-sign-in-email")).sendKeys(email);
        browser.findElement(By.id("email-sign-in-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "on their way"));
    }

    @Test
    void theMailedLinkAndTheMailedCodeEachSignThePageIn() throws Exception {
        WebDriver browser = chromium.browser();
        WebDriverWait wait = chromium.await();
        String email = "page.link@example.org";
        chromium.signUp(email, "Lin", "Kmail");
        chromium.signOut();

        askForALink(browser, wait, email);
        browser.get(app.base + "/#email-sign-in-token=" + find(TOKEN, signInMail(email, 1)));
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + email));
        assertThat(browser.getCurrentUrl()).doesNotContain("email-sign-in-token");
        assertThat(browser.findElement(By.id("me")).getText()).contains("Email verified\nyes");

        chromium.signOut();
        askForALink(browser, wait, email);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email-sign-in-code")))
                .sendKeys(find(CODE, signInMail(email, 2)));
        browser.findElement(By.id("email-sign-in-code-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + email));
    }
}
