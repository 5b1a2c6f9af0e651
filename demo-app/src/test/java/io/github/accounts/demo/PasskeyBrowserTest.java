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
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Passkeys on the demo page in a real headless Chromium with Selenium's virtual authenticator (CTAP2, internal,
 * resident keys, user verification): add a passkey, sign out, sign in with the passkey alone. The page is served
 * as {@code http://localhost:<port>} (an IP address cannot be an RP ID), with {@code PUBLIC_URL} saying so. Skipped
 * where Debian's chromium and chromium-driver are missing, like {@link BrowserTest}.
 */
class PasskeyBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static TestApp app;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start(@TempDir Path profile) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Browser test skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
                        + "; to run it, install Debian's packages: apt-get install chromium chromium-driver");
        int port = freePort();
        base = "http://localhost:" + port;
        app = new TestApp(Map.of("PORT", Integer.toString(port), "PUBLIC_URL", base));
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

    /** A port free now, for a server that must know its own before it starts (its origin is the RP's). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void addAPasskeySignOutThenSignInWithThePasskeyAlone() {
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                        .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(base + "/");
            wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
            browser.findElement(By.id("sign-up-email")).sendKeys("passkey@example.com");
            browser.findElement(By.id("sign-up-fname")).sendKeys("Pia");
            browser.findElement(By.id("sign-up-lname")).sendKeys("Passkey");
            browser.findElement(By.id("sign-up-password")).sendKeys(TestApp.PASSWORD);
            browser.findElement(By.id("sign-up-submit")).click();
            wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Pia!"));

            browser.findElement(By.id("passkey-name")).sendKeys("Virtual key");
            browser.findElement(By.id("add-passkey-submit")).click();
            wait.until(ExpectedConditions.textToBe(By.id("message"), "Passkey added: you can sign in with it alone."));
            assertThat(browser.findElement(By.id("passkeys")).getText()).contains("Virtual key");
            assertThat(authenticator.getCredentials()).singleElement()
                    .satisfies(c -> assertThat(c.isResidentCredential()).isTrue());

            browser.findElement(By.id("sign-out")).click();
            wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
            browser.findElement(By.id("passkey-sign-in")).click();

            wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Pia!"));
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Signed in as passkey@example.com");
            assertThat(browser.findElement(By.id("passkeys")).getText()).contains("Virtual key").doesNotContain("never");
        } finally {
            ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
        }
    }
}
