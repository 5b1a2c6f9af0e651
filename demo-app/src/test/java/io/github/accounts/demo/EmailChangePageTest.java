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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page's "change email" (email.js) in headless Chromium, with the demo mailing through GreenMail so the
 * test reads the token the way a person would; skipped, like {@link BrowserTest}, without Debian's Chromium
 * ({@link Chromium}).
 */
class EmailChangePageTest {
    private static BrowserDemo demo;

    @BeforeAll
    static void start(@TempDir Path profile) {
        demo = BrowserDemo.start(profile);
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aSignedInPersonChangesTheirEmailAndConfirmsItThroughTheLinksFragment() {
        Chromium chromium = demo.chromium;
        WebDriver browser = chromium.browser();
        WebDriverWait wait = chromium.await();
        chromium.signUp("page.old@example.org", "Eve", "Mailer");

        browser.findElement(By.id("change-email-new")).sendKeys("page.new@example.org");
        browser.findElement(By.id("change-email-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("change-email-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "on its way"));

        browser.get(demo.home + "/#email-change-token=" + demo.inbox.tokenMailedTo("page.new@example.org", null, 0));
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as page.old@example.org"));
        assertThat(browser.getCurrentUrl()).doesNotContain("email-change-token");
        browser.findElement(By.id("confirm-email-submit")).click();

        wait.until(ExpectedConditions.textToBe(By.id("status"), "Signed in as page.new@example.org"));
        assertThat(browser.findElement(By.id("message")).getText()).contains("now uses page.new@example.org");
        assertThat(browser.findElement(By.id("me")).getText()).contains("Email verified\nyes");
    }
}
