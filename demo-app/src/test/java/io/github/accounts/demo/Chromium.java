package io.github.accounts.demo;

import io.github.accounts.core.testing.Authenticator;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo page in one headless Chromium per test class: Debian's {@code chromium} and {@code chromium-driver}
 * packages, used from their fixed paths so Selenium never tries to download a browser or driver, and the steps on the
 * page that the browser tests share. {@link #assumeInstalled} skips the class where they are missing. Not
 * thread-safe (one browser).
 */
final class Chromium implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final WebDriver browser;
    private final String base;
    private final WebDriverWait wait;

    private Chromium(WebDriver browser, String base) {
        this.browser = browser;
        this.base = base;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    /** Skips the test class, saying how to run it, where Debian's Chromium or its driver is missing. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "Browser test skipped: no " + BINARY + " or " + DRIVER
                        + "; to run it, install Debian's packages: apt-get install chromium chromium-driver");
    }

    /** A new headless Chromium, its profile in {@code profile}, for the demo served at {@code base}. */
    static Chromium start(String base, Path profile) {
        assumeInstalled();
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,1000", "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL); // the console, read by consoleErrors()
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return new Chromium(new ChromeDriver(driver, options), base);
    }

    WebDriver browser() {
        return browser;
    }

    /** Waits up to 30 s for what the page shows. */
    WebDriverWait await() {
        return wait;
    }

    /** Opens the home page signed out and signs up there, until the page greets {@code fname}. */
    void signUp(String email, String fname, String lname) {
        browser.get(base + "/");
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        browser.findElement(By.id("sign-up-email")).sendKeys(email);
        browser.findElement(By.id("sign-up-fname")).sendKeys(fname);
        browser.findElement(By.id("sign-up-lname")).sendKeys(lname);
        browser.findElement(By.id("sign-up-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("sign-up-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, " + fname + "!"));
    }

    /**
     * Verifies the signed-in user's address on the page, as a person would: asks for the mail, pastes the token
     * {@code inbox} caught, and waits until the page says it is verified.
     */
    void verifyEmail(Inbox inbox, String email) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("me"), "Email verified\nno"));
        int before = inbox.received();
        browser.findElement(By.id("verify-email-send")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("verify-email-token")))
                .sendKeys(inbox.tokenMailedTo(email, "Verify your email address", before));
        browser.findElement(By.id("verify-email-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("me"), "Email verified\nyes"));
        wait.until(ExpectedConditions.textToBe(By.id("message"), "Your email address is verified."));
        assertThat(browser.findElement(By.id("verify-email")).isDisplayed()).isFalse();
    }

    /** The console's errors (failed requests included) since the last call, which empties the browser's log. */
    List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Signs out from the home page; no session cookie is left. */
    void signOut() {
        browser.get(base + "/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-out"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        assertThat(browser.manage().getCookieNamed("__Host-accounts_session")).isNull();
    }

    /** Signs in with {@code email} and {@link TestApp#PASSWORD} on the signed-out page (a second step may follow). */
    void signInWithPassword(String email) {
        browser.findElement(By.id("sign-in-email")).sendKeys(email);
        browser.findElement(By.id("sign-in-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("sign-in-submit")).click();
    }

    /**
     * Turns TOTP on for the signed-in user, with the QR code the demo server draws shown, confirming with the code an
     * authenticator app computes from the secret the page shows; returns that app.
     */
    Authenticator turnOnTotp() {
        browser.findElement(By.id("mfa-start-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("mfa-start-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.id("mfa-secret"), Pattern.compile("^[A-Z2-7]{32}$")));
        Authenticator phone = new Authenticator(browser.findElement(By.id("mfa-secret")).getText());
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const qr = document.getElementById('mfa-qr'); return qr.complete && qr.naturalWidth > 0"));
        assertThat(browser.findElement(By.id("mfa-qr")).getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        browser.findElement(By.id("mfa-confirm-code")).sendKeys(phone.code(Clock.systemUTC()));
        browser.findElement(By.id("mfa-confirm-submit")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#mfa-recovery-codes li"), 10));
        wait.until(ExpectedConditions.textToBe(By.id("mfa-status"),
                "On: signing in asks for a code from your authenticator app."));
        return phone;
    }

    @Override
    public void close() {
        browser.quit();
    }
}
