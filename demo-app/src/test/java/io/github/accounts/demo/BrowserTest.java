package io.github.accounts.demo;

import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.web.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.sun.net.httpserver.HttpServer;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The home page in a real headless Chromium ({@link Chromium}); skipped where Debian's Chromium is missing. */
class BrowserTest {
    private static BrowserDemo demo;
    private static TestApp app;
    private static Chromium chromium;
    private static WebDriver browser;

    @BeforeAll
    static void start(@TempDir Path profile) {
        demo = BrowserDemo.start(profile);
        app = demo.app;
        chromium = demo.chromium;
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void signUpSeeTheGreetingThenSignOut() {
        WebDriverWait wait = chromium.await();
        chromium.signUp("browser@example.com", "Bea", "Browser");
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Signed in as browser@example.com");
        assertThat(browser.findElement(By.id("me")).getText()).contains("browser@example.com", "Bea Browser");
        assertThat(browser.findElements(By.cssSelector("#sessions tr"))).hasSize(1);

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        assertThat(browser.findElement(By.id("sign-up")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("message")).getText()).isEqualTo("Signed out.");
    }

    @Test
    void noScriptOnThePageCanReachTheSessionOrRefreshToken() {
        WebDriverWait wait = chromium.await();
        chromium.signUp("cookie@example.com", "Cleo", "Tester");
        Cookie session = browser.manage().getCookieNamed("__Host-accounts_session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue(); // Chromium counts http://127.0.0.1 as a secure context
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.getPath()).isEqualTo("/");
        assertNoTokenReadableByScripts(session.getValue());

        browser.navigate().refresh(); // a reload signs in again from the cookie, with no token kept by the page
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Cleo!"));
        assertNoTokenReadableByScripts(session.getValue());

        browser.get(app.base + "/accounts/sessions/refresh"); // the refresh cookie's path (a 404 page for GET)
        Cookie refresh = browser.manage().getCookieNamed("__Secure-accounts_refresh");
        assertThat(refresh).isNotNull();
        assertThat(refresh.isHttpOnly()).isTrue();
        assertThat(refresh.getSameSite()).isEqualTo("Strict");
        assertThat(refresh.getPath()).isEqualTo("/accounts/sessions/refresh");
        assertNoTokenReadableByScripts(refresh.getValue());
        chromium.signOut();
    }

    /**
     * A page of another origin (another port on loopback: same site, so even SameSite cookies go along) tries to
     * change the profile and to sign the user out, with credentialed fetch() calls and with form posts.
     */
    @Test
    void pagesOfAnotherOriginCannotChangeTheProfileOrSignTheUserOut() throws Exception {
        WebDriverWait wait = chromium.await();
        chromium.signUp("target@example.com", "Tara", "Tester");
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        evil.createContext("/", exchange -> {
            byte[] page = evilPage(app.base, exchange.getRequestURI().getQuery()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        evil.start();
        PrintStream stderr = System.err;
        ByteArrayOutputStream requestLog = new ByteArrayOutputStream();
        System.setErr(new PrintStream(requestLog, true, StandardCharsets.UTF_8));
        try {
            String evilBase = "http://127.0.0.1:" + evil.getAddress().getPort() + "/";
            browser.get(evilBase + "?fetch");
            wait.until(ExpectedConditions.textToBe(By.id("done"), "done"));
            assertThat(browser.findElement(By.id("results")).getText()).isEqualTo(String.join("\n",
                    "PATCH /accounts/users/me: blocked",
                    "DELETE /accounts/sessions/current: blocked",
                    "DELETE /accounts/sessions: blocked",
                    "GET /accounts/sessions/csrf: blocked",
                    "POST /accounts/email-verifications (no-cors): sent"));
            for (String form : List.of("profile", "sign-out", "sign-out-everywhere", "verification")) {
                browser.get(evilBase + "?form=" + form); // submits itself, landing on the app's answer
                wait.until(ExpectedConditions.urlMatches("^" + Pattern.quote(app.base)));
            }
        } finally {
            System.setErr(stderr);
            evil.stop(0);
        }
        String log = requestLog.toString(StandardCharsets.UTF_8);
        // Preflights fail (CORS is off), so the browser never sent the PATCH or the DELETEs; what it could send
        // was refused: the form posts match no route, and the cookie-authenticated POST lacks the CSRF token.
        assertThat(log).doesNotContain("PATCH /accounts/").doesNotContain("DELETE /accounts/")
                .contains("POST /accounts/users/me 404", "POST /accounts/sessions/current 404",
                        "POST /accounts/sessions 415") // the sign-in route: a form is not JSON
                .containsPattern("(?s)(POST /accounts/email-verifications 403.*){2}");

        browser.get(app.base + "/");
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Tara!"));
        assertThat(browser.findElement(By.id("me")).getText()).contains("Tara Tester");
        assertThat(browser.findElements(By.cssSelector("#sessions tr"))).hasSize(1);
        chromium.signOut();
    }

    /**
     * Two tabs of the page share one cookie session and each hold the live activity socket: an account event shows
     * up in the list as it happens, and signing out everywhere in one tab signs the other out without a reload.
     */
    @Test
    void signingOutEverywhereInOneTabSignsTheOtherOutWithoutAReload() {
        WebDriverWait wait = chromium.await();
        chromium.signUp("tabs@example.com", "Tabby", "Tester");
        wait.until(ExpectedConditions.textToBe(By.id("activity-status"), "Live."));
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        String second = browser.getWindowHandle();
        try {
            browser.get(app.base + "/");
            wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Tabby!"));
            wait.until(ExpectedConditions.textToBe(By.id("activity-status"), "Live."));

            assertThat(app.send("POST", "/accounts/sessions", TestClient.json("email", "tabs@example.com",
                    "password", TestApp.PASSWORD), null).status()).isEqualTo(201); // another device signs in
            wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#activity li:first-child"), "data-type",
                    "session.signed_in"));

            browser.switchTo().window(first);
            browser.findElement(By.id("sign-out-everywhere")).click();
            wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));

            browser.switchTo().window(second);
            wait.until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
            wait.until(ExpectedConditions.textToBe(By.id("message"), "This session ended in another tab or device."));
            assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isTrue();
        } finally {
            browser.switchTo().window(second).close();
            browser.switchTo().window(first);
        }
    }

    /**
     * TOTP end to end: enrol by the QR code the demo server draws, confirm with a code computed from the secret as an
     * authenticator app would, see the recovery codes once, then sign in again in two steps.
     */
    @Test
    void turnOnTwoFactorAuthenticationThenSignInWithACode() {
        WebDriverWait wait = chromium.await();
        chromium.signUp("totp@example.com", "Otto", "Tester");
        chromium.verifyEmail(demo.inbox, "totp@example.com"); // enrolling needs a verified email
        assertThat(browser.findElement(By.id("mfa-status")).getText()).isEqualTo("Off.");
        Authenticator phone = chromium.turnOnTotp();
        chromium.signOut();

        chromium.signInWithPassword("totp@example.com");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("second-step-code")));
        assertThat(browser.manage().getCookieNamed("__Host-accounts_session")).isNull(); // no session yet
        browser.findElement(By.id("second-step-code")).sendKeys(phone.code(Clock.systemUTC(), 1)); // never reused
        browser.findElement(By.id("second-step-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Otto!"));
        assertThat(browser.findElement(By.id("second-step")).isDisplayed()).isFalse();
        chromium.signOut();
    }

    private void assertNoTokenReadableByScripts(String token) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Object cookies = js.executeScript("return document.cookie");
        assertThat(cookies).isEqualTo("");
        Object storage = js.executeScript("return JSON.stringify([Object.entries(sessionStorage), "
                + "Object.entries(localStorage)])");
        assertThat(storage).isEqualTo("[[],[]]");
        assertThat(token).hasSizeGreaterThanOrEqualTo(43);
        assertThat((String) js.executeScript("return document.documentElement.outerHTML")).doesNotContain(token);
    }

    /** The other origin's page: {@code ?fetch} runs the fetch() attempts, {@code ?form=...} posts one form. */
    private static String evilPage(String target, String query) {
        if (query != null && query.startsWith("form=")) {
            String form = switch (query.substring(5)) {
                case "profile" -> "<form method='post' enctype='text/plain' action='" + target + "/accounts/users/me'>"
                        + "<input name='{\"fname\":\"Mallory\",\"x\":\"' value='\"}'></form>";
                case "sign-out" -> "<form method='post' action='" + target + "/accounts/sessions/current'></form>";
                case "sign-out-everywhere" -> "<form method='post' action='" + target + "/accounts/sessions'></form>";
                default -> "<form method='post' enctype='text/plain' action='" + target
                        + "/accounts/email-verifications'></form>";
            };
            return "<!doctype html><body>" + form + "<script>document.forms[0].submit()</script></body>";
        }
        return """
                <!doctype html><body><pre id="results"></pre><p id="done"></p><script>
                const target = '%s';
                const attempts = [
                  ['PATCH', '/accounts/users/me', {method: 'PATCH', credentials: 'include',
                    headers: {'Content-Type': 'application/json'}, body: JSON.stringify({fname: 'Mallory'})}],
                  ['DELETE', '/accounts/sessions/current', {method: 'DELETE', credentials: 'include'}],
                  ['DELETE', '/accounts/sessions', {method: 'DELETE', credentials: 'include'}],
                  ['GET', '/accounts/sessions/csrf', {credentials: 'include'}],
                  ['POST', '/accounts/email-verifications', {method: 'POST', mode: 'no-cors', credentials: 'include'}],
                ];
                (async () => {
                  const lines = [];
                  for (const [method, path, init] of attempts) {
                    let outcome;
                    try {
                      const res = await fetch(target + path, init);
                      outcome = res.type === 'opaque' ? 'sent' : 'answered ' + res.status + ' ' + await res.text();
                    } catch (e) {
                      outcome = 'blocked';
                    }
                    lines.push(method + ' ' + path + (init.mode === 'no-cors' ? ' (no-cors)' : '') + ': ' + outcome);
                  }
                  document.getElementById('results').textContent = lines.join('\\n');
                  document.getElementById('done').textContent = 'done';
                })();
                </script></body>
                """.formatted(target);
    }

    @Test
    void problemsFromTheServerAreShownToThePerson() {
        WebDriverWait wait = chromium.await();
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
