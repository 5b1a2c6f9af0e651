package io.github.accounts.demo;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetAddress;
import java.net.ServerSocket;
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
    private static TestApp app;
    private static Chromium chromium;

    @BeforeAll
    static void start(@TempDir Path profile) throws Exception {
        Chromium.assumeInstalled();
        provider = new MockOAuth2Server(OAuth2Config.Companion.fromJson("{\"interactiveLogin\": true}"));
        provider.start(InetAddress.getLoopbackAddress(), 0);
        int port; // a port of its own: the demo's redirect URI is http://localhost:<port>/accounts/providers/...
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        app = new TestApp(Map.of("OIDC_PROVIDERS", "local", "OIDC_LOCAL_ISSUER",
                provider.issuerUrl("local").toString(), "OIDC_LOCAL_CLIENT_ID", "demo-client",
                "OIDC_LOCAL_CLIENT_SECRET", "demo-secret", "OIDC_LOCAL_NAME", "Local provider",
                "PORT", Integer.toString(port)));
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
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    @Disabled("Fails today, kept to be fixed, not to be forgotten: after the provider's login form (a POST at"
            + " 127.0.0.1 answered by a redirect to the callback on localhost) Chromium brings no pre-auth cookie"
            + " to the callback, which logs 'the callback came without the pre-auth cookie' and sends the page back"
            + " with #accounts_error=invalid_state (issue 28, 2026-12-07). Not SameSite: it fails the same with the"
            + " provider on localhost too. Suspect the cookie is never stored by the page's fetch (Secure/__Host- on"
            + " http://localhost?); FederationRoutesTest sees the Set-Cookie over plain HTTP")
    void theProviderButtonGoesThroughTheProvidersLoginFormAndSignsThePageInWithCookies() {
        WebDriver browser = chromium.browser();
        WebDriverWait wait = chromium.await();
        String email = "page.provider@example.org";
        browser.get(app.base + "/");

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
        assertThat(browser.getCurrentUrl()).startsWith(app.base).doesNotContain("#");
        assertThat(browser.manage().getCookies()).anySatisfy(c -> assertThat(c.getName()).endsWith("accounts_session"))
                .allSatisfy(c -> assertThat(c.getName()).doesNotContain("federation"));
        assertThat(browser.findElement(By.id("me")).getText()).contains("Email verified\nyes");
    }
}
