package io.github.accounts.demo;

import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.testing.Authenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page as people use it in headless Chromium ({@link BrowserDemo}): one tab shared by two users shows the
 * second nothing of the first, a signed-out load asks nothing that fails, and what the page shows reads as people
 * say it (labelled inputs, named events, "this computer", "Chrome on Linux"). Skipped without Debian's Chromium.
 */
class HomePageTest {
    private static BrowserDemo demo;
    private static Chromium chromium;
    private static WebDriver browser;

    @BeforeAll
    static void start(@TempDir Path profile) {
        demo = BrowserDemo.start(profile);
        chromium = demo.chromium;
        browser = chromium.browser();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /**
     * A turns TOTP on (recovery codes on screen) and signs out; B signs in in the same tab, starts TOTP (secret and
     * QR code on screen) and signs out; A's codes and B's secret never show to the one after, nor in any input.
     */
    @Test
    void theNextUserInTheSameTabSeesNothingOfTheOneBefore() {
        WebDriverWait wait = chromium.await();
        chromium.signUp("first@example.com", "Ann", "First");
        chromium.verifyEmail(demo.inbox, "first@example.com");
        chromium.turnOnTotp();
        List<String> codes = browser.findElements(By.cssSelector("#mfa-recovery-codes li")).stream()
                .map(WebElement::getText).toList();
        assertThat(codes).hasSize(10);
        signOutInThisTab();
        assertShowsNothingOf(codes, "first@example.com", "Ann");

        demo.app.signUp("second@example.com", "Bob");
        chromium.signInWithPassword("second@example.com");
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Bob!"));
        assertShowsNothingOf(codes, "first@example.com", "Ann");
        assertThat(browser.findElement(By.id("mfa-codes")).isDisplayed()).isFalse();
        chromium.verifyEmail(demo.inbox, "second@example.com");
        browser.findElement(By.id("mfa-start-password")).sendKeys(TestApp.PASSWORD);
        browser.findElement(By.id("mfa-start-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.id("mfa-secret"), Pattern.compile("^[A-Z2-7]{32}$")));
        String secret = browser.findElement(By.id("mfa-secret")).getText();
        wait.until(ExpectedConditions.attributeContains(By.id("mfa-qr"), "src", "data:image/svg+xml"));
        signOutInThisTab();
        assertShowsNothingOf(List.of(secret), "second@example.com", "Bob");

        demo.app.signUp("third@example.com", "Cy");
        chromium.signInWithPassword("third@example.com");
        wait.until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Cy!"));
        assertShowsNothingOf(List.of(secret), "second@example.com", "Bob");
        assertShowsNothingOf(codes, "first@example.com", "Ann");
        assertThat(browser.findElement(By.id("mfa-enrol")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("mfa-qr")).getAttribute("src")).isNull();
        assertThat(browser.findElement(By.id("mfa-start")).isDisplayed()).isTrue();
        chromium.signOut();
    }

    /**
     * A load with no session, before and after a sign-out, asks nothing that fails: the console stays empty; so does
     * a signed-in page on a server without passkeys (a random port: no relying party), which asks nothing of them.
     */
    @Test
    void aSignedOutLoadLogsNoErrorInTheConsole() {
        browser.manage().deleteAllCookies();
        chromium.consoleErrors(); // what earlier tests left in the log
        loadSignedOut();
        assertThat(chromium.consoleErrors()).isEmpty();
        assertThat(browser.findElement(By.id("passkey-sign-in-card")).isDisplayed()).isFalse();

        chromium.signUp("console@example.com", "Con", "Sole");
        assertThat(browser.findElement(By.id("add-passkey")).isDisplayed()).isFalse();
        chromium.signOut();
        loadSignedOut();
        assertThat(chromium.consoleErrors()).isEmpty();
    }

    /** The session cookie gone (its lifetime is the shorter) and the refresh cookie still there: a load resumes. */
    @Test
    void aLoadWithOnlyTheRefreshCookieLeftStillResumesTheSession() {
        chromium.signUp("resume@example.com", "Ray", "Sume");
        chromium.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("activity"), "Signed up"));
        browser.manage().deleteCookieNamed("__Host-accounts_session");
        browser.navigate().refresh();
        chromium.await().until(ExpectedConditions.textToBe(By.id("greeting"), "Hello, Ray!"));
        chromium.signOut();
    }

    /** Every input has a label of its own in its card, which tells the same-named fields apart. */
    @Test
    void everyInputHasALabelThatSaysWhatItIsFor() {
        browser.get(demo.app.base + "/");
        chromium.await().until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) ((JavascriptExecutor) browser).executeScript("""
                const problems = [];
                for (const card of document.querySelectorAll('.card')) {
                  const seen = new Set();
                  for (const input of card.querySelectorAll('input, select, textarea')) {
                    const label = input.labels.length ? input.labels[0].textContent.trim().replace(/\\s+/g, ' ') : '';
                    if (!label) problems.push('no label: #' + input.id);
                    else if (seen.has(label)) problems.push('same label twice in #' + card.id + ': ' + label);
                    seen.add(label);
                  }
                }
                for (const input of document.querySelectorAll('input, select, textarea')) {
                  if (!input.closest('.card')) problems.push('outside a card: #' + input.id);
                }
                return problems;""");
        assertThat(problems).isEmpty();
        assertThat(browser.findElement(By.cssSelector("label:has(#mfa-disable-password)")).getAttribute("textContent"))
                .contains("to turn it off");
    }

    /** Each event type accounts-core records has a label of its own; an unknown one still reads as words. */
    @Test
    void everyEventTypeTheCoreRecordsHasAReadableLabel() throws IllegalAccessException {
        List<String> types = new ArrayList<>();
        for (Field f : AccountEvent.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                types.add((String) f.get(null));
            }
        }
        assertThat(types).contains("mfa.recovery_code_used", "session.mfa_required").hasSizeGreaterThan(25);
        browser.get(demo.app.base + "/");
        chromium.await().until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) ((JavascriptExecutor) browser).executeScript(
                "return Object.fromEntries(arguments[0].map((t) => [t, EVENT_LABELS[t] || null]));", types);
        assertThat(labels).doesNotContainValue(null);
        assertThat(labels.values()).noneMatch(label -> label.matches(".*\\w\\.\\w.*"));
        assertThat(((JavascriptExecutor) browser).executeScript("return eventLabel('account.something_new')"))
                .isEqualTo("Account event: account something new");
    }

    /** The activity and sessions name events, the browser as "Chrome on Linux" and loopback as "this computer". */
    @Test
    void activityAndSessionsReadAsPeopleSayThem() {
        WebDriverWait wait = chromium.await();
        chromium.signUp("reader@example.com", "Rea", "Der");
        wait.until(ExpectedConditions.textToBe(By.id("activity-status"), "Live."));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("activity"), "Signed up"));
        String activity = browser.findElement(By.id("activity")).getText();
        assertThat(activity).contains("Signed up · Chrome on Linux, this computer").doesNotContain("user.signed_up")
                .doesNotContain("127.0.0.1").doesNotContain("Mozilla");

        WebElement session = browser.findElement(By.cssSelector("#sessions tr"));
        assertThat(session.getText()).contains("(this tab) Chrome on Linux", "this computer")
                .doesNotContain("Mozilla").doesNotContain("127.0.0.1");
        assertThat(session.findElement(By.cssSelector("td.device")).getAttribute("title")).contains("Mozilla/5.0");
        chromium.signOut();
    }

    /** Signs out with the page's button, in the page as it is (no reload, which would hide what stays behind). */
    private static void signOutInThisTab() {
        browser.findElement(By.id("sign-out")).click();
        chromium.await().until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        chromium.await().until(ExpectedConditions.textToBe(By.id("message"), "Signed out."));
    }

    private static void loadSignedOut() {
        browser.get(demo.app.base + "/");
        chromium.await().until(ExpectedConditions.textToBe(By.id("status"), "Not signed in."));
        chromium.await().until((d) -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return performance.getEntriesByType('resource').some((r) => r.name.endsWith('/accounts/providers'))"));
    }

    /** Neither the page's markup, its text, nor any input's value holds any of {@code secrets} or the user's. */
    private static void assertShowsNothingOf(List<String> secrets, String email, String fname) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        String everything = js.executeScript("return document.documentElement.outerHTML + '\\n'"
                + " + document.body.innerText + '\\n' + [...document.querySelectorAll('input')]"
                + ".map((i) => i.value).join('\\n')").toString();
        for (String secret : secrets) {
            assertThat(everything).doesNotContain(secret);
        }
        assertThat(everything).doesNotContain(email).doesNotContain("Hello, " + fname);
        assertThat(Arrays.asList("mfa-enrol", "mfa-codes"))
                .allMatch(id -> !browser.findElement(By.id(id)).isDisplayed());
    }
}
