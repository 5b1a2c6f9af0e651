package io.github.accounts.demo;

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
 * The home page's "Email me a sign-in link" (email-sign-in.js) in headless Chromium, the demo mailing through
 * GreenMail: opening the mailed link signs the page in and takes the token out of the address bar, and the mailed
 * code typed into the code box does too. Skipped, like {@link BrowserTest}, without Debian's Chromium.
 */
class EmailSignInPageTest {
    private static final Pattern TOKEN = Pattern.compile("/#email-sign-in-token=([A-Za-z0-9_-]+)");
    private static final Pattern CODE = Pattern.compile("\\n(\\d{3}) (\\d{3})\\r?\\n");
    private static BrowserDemo demo;

    @BeforeAll
    static void start(@TempDir Path profile) {
        demo = BrowserDemo.atLocalhost(profile, Map.of()); // a port of its own: the demo then writes links
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** The body of the first sign-in mail to {@code address} after the first {@code skip} mails. */
    private static String signInMail(String address, int skip) {
        return demo.inbox.mailTo(address, "Your sign-in link", skip);
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
    void theMailedLinkAndTheMailedCodeEachSignThePageIn() {
        Chromium chromium = demo.chromium;
        WebDriver browser = chromium.browser();
        WebDriverWait wait = chromium.await();
        String email = "page.link@example.org";
        chromium.signUp(email, "Lin", "Kmail");
        chromium.signOut();

        int before = demo.inbox.received();
        askForALink(browser, wait, email);
        browser.get(demo.home + "/#email-sign-in-token=" + find(TOKEN, signInMail(email, before)));
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + email));
        assertThat(browser.getCurrentUrl()).doesNotContain("email-sign-in-token");
        assertThat(browser.findElement(By.id("me")).getText()).contains("Email verified\nyes");

        chromium.signOut();
        before = demo.inbox.received();
        askForALink(browser, wait, email);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email-sign-in-code")))
                .sendKeys(find(CODE, signInMail(email, before)));
        browser.findElement(By.id("email-sign-in-code-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + email));
    }
}
