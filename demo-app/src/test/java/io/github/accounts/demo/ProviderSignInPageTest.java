package io.github.accounts.demo;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page's provider button (federation.js) in headless Chromium, against a local OpenID Connect provider that
 * shows its login form (mock-oauth2-server, interactive login): the button, the provider's form filled in and sent,
 * the callback, and the page back at home signed in with the session cookies. Skipped, like {@link BrowserTest},
 * without Debian's Chromium.
 */
class ProviderSignInPageTest {
    private static MockOAuth2Server provider;
    /**
     * The demo, its page opened at the address the redirect URI names, {@code http://localhost:<port>}: the pre-auth
     * cookie the page gets is the host's, and a page opened at 127.0.0.1 would send the browser back to localhost
     * without it (the test first did so, and failed with #accounts_error=invalid_state, as it should).
     */
    private static BrowserDemo demo;

    @BeforeAll
    static void start(@TempDir Path profile) {
        Chromium.assumeInstalled();
        provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));
        provider.start(InetAddress.getLoopbackAddress(), 0);
        demo = BrowserDemo.atLocalhost(profile, Map.of("OIDC_PROVIDERS", "local", "OIDC_LOCAL_ISSUER",
                provider.issuerUrl("local").toString(), "OIDC_LOCAL_CLIENT_ID", "demo-client",
                "OIDC_LOCAL_CLIENT_SECRET", "demo-secret", "OIDC_LOCAL_NAME", "Local provider"));
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    void theProviderButtonGoesThroughTheProvidersLoginFormAndSignsThePageInWithCookies() {
        WebDriver browser = demo.chromium.browser();
        WebDriverWait wait = demo.chromium.await();
        String email = "page.provider@example.org";
        browser.get(demo.home + "/");

        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//*[@id='provider-buttons']/button[text()='Sign in with Local provider']"))).click();
        WebElement username = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username")));
        username.sendKeys("subject-of-the-page");
        WebElement claims = browser.findElement(By.name("claims"));
        claims.clear();
        claims.sendKeys("{\"email\": \"" + email + "\", \"email_verified\": true, \"given_name\": \"Ada\","
                + " \"family_name\": \"Lovelace\"}");
        browser.findElement(By.cssSelector("input[type=submit]")).click();

        wait.withMessage(() -> "at " + browser.getCurrentUrl() + ", the page says: "
                + browser.findElement(By.id("message")).getText())
                .until(ExpectedConditions.textToBe(By.id("status"), "Signed in as " + email));
        assertThat(browser.getCurrentUrl()).startsWith(demo.home).doesNotContain("#");
        assertThat(browser.manage().getCookies()).anySatisfy(c -> assertThat(c.getName()).endsWith("accounts_session"))
                .allSatisfy(c -> assertThat(c.getName()).doesNotContain("federation"));
        assertThat(browser.findElement(By.id("me")).getText()).contains("Email verified\nyes");
    }
}
