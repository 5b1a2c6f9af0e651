package io.github.accounts.demo;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The home page in a real headless Chromium: Debian's {@code chromium} and {@code chromium-driver} packages, used
 * from their fixed paths so Selenium never tries to download a browser or driver. Skipped where they are missing.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static TestApp app;
    private static WebDriver browser;

    @BeforeAll
    static void start(@TempDir Path profile) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser test skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                        + "; to run it, install Debian's packages: apt-get install chromium chromium-driver");
        app = new TestApp();
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,1000", "--user-data-dir=" + profile.toAbsolutePath());
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
    }

    @Test
    void signUpSeeTheGreetingThenSignOut() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(app.base + "/");
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));

        browser.findElement(By.id("sign-up-email")).sendKeys("browser@example.com");
        browser.findElement(By.id("sign-up-fname")).sendKeys("Bea");
        browser.findElement(By.id("sign-up-lname")).sendKeys("Browser");
        browser.findElement(By.id("sign-up-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("sign-up-submit")).click();

        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Bea!"));
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Signed in as browser@example.com");
        assertThat(browser.findElement(By.id("me")).getText()).contains("browser@example.com", "Bea Browser");
        assertThat(browser.findElements(By.cssSelector("#sessions tr"))).hasSize(1);

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        assertThat(browser.findElement(By.id("sign-up")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("message")).getText()).isEqualTo("Signed out.");
    }

    @Test
    void problemsFromTheServerAreShownToThePerson() {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(app.base + "/");
        browser.findElement(By.id("sign-in-email")).sendKeys("nobody@example.com");
        browser.findElement(By.id("sign-in-password")).sendKeys("not the right password at all");
        browser.findElement(By.id("sign-in-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        assertThat(browser.findElement(By.id("message")).getText()).isEqualTo("The email or password is not correct.");

        browser.findElement(By.id("sign-up-email")).sendKeys("weak@example.com");
        browser.findElement(By.id("sign-up-fname")).sendKeys("Wes");
        browser.findElement(By.id("sign-up-lname")).sendKeys("Weak");
        browser.findElement(By.id("sign-up-password")).sendKeys("password");
        browser.findElement(By.id("sign-up-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "password:"));
    }

}
