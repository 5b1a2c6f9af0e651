package io.github.accounts.demo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The routes of the demo-app table in the HTTP contract, over a real socket. */
class ServerTest {
    private static TestApp app;

    @BeforeAll
    static void start() {
        app = new TestApp();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void homePageIsOnePlainHtmlPageWithItsScriptAndStyles() {
        TestApp.Reply page = app.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<form id=\"sign-up\"", "<form id=\"sign-in\"", "<form id=\"forgot\"",
                "src=\"/app.js\"", "href=\"/app.css\"");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(app.get("/app.js", null).header("Content-Type")).startsWith("text/javascript");
        assertThat(app.get("/app.css", null).header("Content-Type")).startsWith("text/css");
    }

    @Test
    void unknownPathsOutsideTheMountsGetTheHostsHtmlNotFoundPage() {
        TestApp.Reply reply = app.get("/no/such/page", null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("Page not found");
        assertThat(app.send("POST", "/nothing-here", null, null).status()).isEqualTo(404);
    }

    @Test
    void jettysOwnErrorsAreProblemsWithTheDemosSecurityHeadersAndNoServerHeader() throws IOException {
        URI uri = URI.create(app.base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write("GET /accounts/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json",
                    "Content-Security-Policy: default-src 'self'", "X-Content-Type-Options: nosniff",
                    "\"code\":\"bad_request\"").doesNotContain("Server:");
        }
    }

    @Test
    void unknownPathsUnderAccountsGetAProblemNotThePage() {
        TestApp.Reply reply = app.get("/accounts/no-such-route", null);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void livezAnswersOk() {
        TestApp.Reply reply = app.get("/livez", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("ok");
    }

    @Test
    void readyzAnswers200WhileTheDatabaseAnswers() {
        TestApp.Reply reply = app.get("/readyz", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void greetingWithoutATokenIs401Problem() {
        TestApp.Reply reply = app.get("/api/greeting", null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().path("code").asText()).isEqualTo("unauthenticated");
        assertThat(app.get("/api/greeting", "not-a-real-token").status()).isEqualTo(401);
    }

    @Test
    void greetingWithATokenGreetsTheUserByFirstName() {
        String token = app.signUp("greet@example.com", "Greta");
        TestApp.Reply reply = app.get("/api/greeting", token);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().path("message").asText()).isEqualTo("Hello, Greta!");
        assertThat(app.get("/api/greeting", token).status()).isEqualTo(200); // the demo's counter row updates
    }

    @Test
    void greetingStopsWorkingAfterSignOut() {
        String token = app.signUp("leaving@example.com", "Lee");
        assertThat(app.send("DELETE", "/accounts/sessions/current", null, token).status()).isEqualTo(204);
        assertThat(app.get("/api/greeting", token).status()).isEqualTo(401);
    }

    @Test
    void unknownApiPathsAreProblemsOnceSignedIn() {
        assertThat(app.get("/api/nothing", null).status()).isEqualTo(401);
        String token = app.signUp("api@example.com", "Apia");
        TestApp.Reply reply = app.get("/api/nothing", token);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void deletingTheAccountDeletesTheDemosOwnRowsToo() {
        String token = app.signUp("gone@example.com", "Gone");
        assertThat(app.get("/api/greeting", token).status()).isEqualTo(200);
        TestApp.Reply deleted = app.send("DELETE", "/accounts/users/me",
                java.util.Map.of("password", TestApp.PASSWORD), token);
        assertThat(deleted.status()).isEqualTo(204); // the greeting_counts row cascades away with the user
        assertThat(app.signUp("gone@example.com", "Again")).isNotBlank();
    }
}
