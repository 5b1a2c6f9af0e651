package io.github.accounts.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys on the demo page in a real headless Chromium ({@link Chromium}) with Selenium's virtual authenticator
 * (CTAP2, internal, resident keys, user verification): add a passkey, sign out, sign in with the passkey alone; and a
 * passkey as the second step of a password sign-in. The page is served as {@code http://localhost:<port>} (an IP
 * address cannot be an RP ID), with {@code PUBLIC_URL} saying so. Adding a passkey needs a verified email (mailed
 * through {@link Inbox}) and the password again, which the page asks for. Skipped where Debian's Chromium is missing.
 */
class PasskeyBrowserTest {
    private static BrowserDemo demo;
    private static Inbox inbox;
    private static Chromium chromium;
    private static WebDriver browser;
    private VirtualAuthenticator authenticator;

    @BeforeAll
    static void start(@TempDir Path profile) {
        demo = BrowserDemo.atLocalhost(profile, Map.of());
        inbox = demo.inbox;
        chromium = demo.chromium;
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /** A platform authenticator of its own for each test, which says yes with user verification. */
    @BeforeEach
    void addAuthenticator() {
        authenticator = ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
                        .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
    }

    @AfterEach
    void removeAuthenticator() {
        ((HasVirtualAuthenticator) browser).removeVirtualAuthenticator(authenticator);
    }

    /** Signs up on the page and verifies the address, as adding a passkey needs. */
    private void signUpVerified(String email, String fname, String lname) {
        chromium.signUp(email, fname, lname);
        chromium.verifyEmail(inbox, email);
    }

    /** Adds a passkey from the page, confirming it is the user with the password when the page asks (it does). */
    private void addPasskey(String name) {
        browser.findElement(By.id("passkey-name")).sendKeys(name);
        browser.findElement(By.id("add-passkey-submit")).click();
        chromium.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("reauthenticate")));
        browser.findElement(By.id("reauth-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("reauth-submit")).click();
        chromium.await().until(ExpectedConditions.textToBe(By.id("message"),
                "Passkey added: you can sign in with it alone."));
        assertThat(browser.findElement(By.id("passkeys")).getText()).contains(name);
    }

    @Test
    void addAPasskeySignOutThenSignInWithThePasskeyAlone() {
        WebDriverWait wait = chromium.await();
        signUpVerified("passkey@example.com", "Pia", "Passkey");
        addPasskey("Virtual key");
        assertThat(authenticator.getCredentials()).singleElement()
                .satisfies(c -> assertThat(c.isResidentCredential()).isTrue());

        chromium.signOut();
        browser.findElement(By.id("passkey-sign-in")).click();

        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Pia!"));
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Signed in as passkey@example.com");
        assertThat(browser.findElement(By.id("passkeys")).getText()).contains("Virtual key").doesNotContain("never");
        chromium.signOut();
    }

    /**
     * Adding a passkey asks for the password first: a session's sign-in alone is no proof, so the page shows "Confirm
     * it is you", nothing is created until the password is given, and then the passkey is added without a second click.
     */
    @Test
    void theDemoPageAsksForThePasswordBeforeAddingAPasskey() {
        WebDriverWait wait = chromium.await();
        signUpVerified("reauth@example.com", "Rea", "Auth");
        browser.findElement(By.id("passkey-name")).sendKeys("Proven key");
        browser.findElement(By.id("add-passkey-submit")).click();

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reauthenticate")));
        assertThat(browser.findElement(By.id("message")).getText()).startsWith("Confirm it is you");
        assertThat(authenticator.getCredentials()).isEmpty();
        browser.findElement(By.id("reauth-password")).sendKeys("not the password at all");
        browser.findElement(By.id("reauth-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("message"), "The password is not correct."));
        assertThat(authenticator.getCredentials()).isEmpty();
        browser.findElement(By.id("reauth-password")).clear();
        browser.findElement(By.id("reauth-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("reauth-submit")).click();

        wait.until(ExpectedConditions.textToBe(By.id("message"), "Passkey added: you can sign in with it alone."));
        assertThat(browser.findElement(By.id("reauthenticate")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("passkeys")).getText()).contains("Proven key");
        assertThat(authenticator.getCredentials()).singleElement()
                .satisfies(c -> assertThat(c.isResidentCredential()).isTrue());
        chromium.signOut();
    }

    /**
     * A user with a password turns TOTP on and adds a passkey; signing in with the password asks for a second step,
     * which the passkey completes ("Use a passkey") with no code typed.
     */
    @Test
    void aPasskeyCompletesTheSecondStepOfAPasswordSignIn() {
        WebDriverWait wait = chromium.await();
        signUpVerified("second.step@example.com", "Sven", "Second");
        chromium.turnOnTotp();
        addPasskey("Second key");
        chromium.signOut();

        chromium.signInWithPassword("second.step@example.com");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("second-step-passkey")));
        assertThat(browser.manage().getCookieNamed("__Host-accounts_session")).isNull(); // no session yet
        browser.findElement(By.id("second-step-passkey")).click();

        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Sven!"));
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Signed in as second.step@example.com");
        assertThat(browser.findElement(By.id("second-step")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("passkeys")).getText()).contains("Second key").doesNotContain("never");
        chromium.signOut();
    }
}
