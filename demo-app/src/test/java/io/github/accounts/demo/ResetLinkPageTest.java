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
 * The demo's reset mail links to the demo page ({@code http://localhost:<PORT>/#reset-token=...}), whose
 * mail-links.js fills the new-password form from the fragment: in headless Chromium, with the demo mailing through
 * GreenMail; skipped, like {@link BrowserTest}, without Debian's Chromium ({@link Chromium}).
 */
class ResetLinkPageTest {
    private static final String NEW_PASSWORD = "a brand new lengthy passphrase";

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

    @Test
    void theResetMailsLinkOpensTheDemoPageReadyForTheNewPassword() {
        TestApp app = demo.app;
        app.signUp("reset.page@example.org", "Rae");
        assertThat(app.send("POST", "/accounts/password-resets", Map.of("email", "reset.page@example.org"), null)
                .status()).isEqualTo(202);
        Matcher link = Pattern.compile(Pattern.quote(demo.home) + "/#reset-token=([A-Za-z0-9_-]{43})")
                .matcher(demo.inbox.mailTo("reset.page@example.org", null, 0));
        assertThat(link.find()).isTrue();
        WebDriver browser = demo.chromium.browser();
        WebDriverWait wait = demo.chromium.await();

        browser.get(link.group());

        wait.until(ExpectedConditions.attributeToBe(By.id("reset-token"), "value", link.group(1)));
        assertThat(browser.getCurrentUrl()).doesNotContain("reset-token");
        browser.findElement(By.id("reset-password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.id("reset-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Your password is changed"));
        assertThat(app.send("POST", "/accounts/sessions",
                Map.of("email", "reset.page@example.org", "password", NEW_PASSWORD), null).status()).isEqualTo(201);
    }
}
