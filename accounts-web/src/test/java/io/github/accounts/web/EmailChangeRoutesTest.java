package io.github.accounts.web;

import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;

import java.util.concurrent.atomic.AtomicInteger;

import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /users/me/email} and its confirmation over a real socket, on H2 and on PostgreSQL. */
@OnEachDatabase
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailChangeRoutesTest {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final AtomicInteger USERS = new AtomicInteger();

    private TestAccounts fixture;
    private TestServer server;

    @Parameter
    TestDatabase database;

    @BeforeParameterizedClassInvocation
    void start() {
        fixture = new TestAccounts(database);
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).build();
        server = new TestServer(http -> routes.mount(http, "/accounts"));
    }

    @AfterParameterizedClassInvocation
    void stop() {
        server.close();
        fixture.close();
    }

    private static String email(String hint) {
        return hint + USERS.incrementAndGet() + "." + ProcessHandle.current().pid() + "@example.com";
    }

    /** Signs up {@code email}; returns the session token. */
    private String signUp(String email) {
        Reply r = server.send("POST", "/accounts/users", json("email", email, "fname", "Ada", "lname", "Lovelace",
                "password", PASSWORD), null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("session").get("session_token").asText();
    }

    private Reply requestChange(String token, String newEmail, String password) {
        return server.send("POST", "/accounts/users/me/email", json("new_email", newEmail, "password", password),
                token);
    }

    private Reply confirm(String token) {
        return server.send("POST", "/accounts/users/me/email/confirm", json("token", token), null);
    }

    private static void assertProblem(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.code()).isEqualTo(code);
    }

    @Test
    void aRequestIs202AndTheMailedTokenConfirmsWithoutASession() {
        String old = email("web.change");
        String session = signUp(old);
        String newEmail = email("web.changed");

        Mail mail = Mailbox.next(fixture, newEmail, () ->
                assertThat(requestChange(session, newEmail, PASSWORD).status()).isEqualTo(202));
        Reply r = confirm(mail.token());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("user").get("email").asText()).isEqualTo(newEmail);
        assertThat(r.json().get("user").get("email_verified").asBoolean()).isTrue();
        assertThat(server.get("/accounts/users/me", session).json().get("user").get("email").asText())
                .isEqualTo(newEmail);
        Mailbox.awaitNotices(fixture, old, "Your email address was changed", 1);
        assertProblem(confirm(mail.token()), 400, "invalid_token");
    }

    @Test
    void anAddressOfAnotherAccountIsAlso202AndThatAddressIsTold() {
        String session = signUp(email("web.taker"));
        String owner = email("web.owner");
        signUp(owner);

        Mail told = Mailbox.next(fixture, owner, () ->
                assertThat(requestChange(session, owner, PASSWORD).status()).isEqualTo(202));

        assertThat(told.subject()).isEqualTo("Someone tried to use your email address");
    }

    @Test
    void aWrongPasswordIs403WrongPassword() {
        String session = signUp(email("web.wrong"));

        assertProblem(requestChange(session, email("web.wrong.new"), "not the password at all"), 403,
                "wrong_password");
    }

    @Test
    void withoutASessionTheRequestIs401() {
        assertProblem(requestChange(null, email("web.anon"), PASSWORD), 401, "unauthenticated");
    }

    @Test
    void badFieldsAre400ValidationFailed() {
        String session = signUp(email("web.bad"));

        Reply r = requestChange(session, "nope", null);

        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("new_email",
                "password");
        assertProblem(server.send("POST", "/accounts/users/me/email/confirm", "{}", null), 400, "validation_failed");
        assertProblem(confirm("garbage"), 400, "invalid_token");
    }

    @Test
    void anAddressTakenByASignUpBeforeConfirmationIs400InvalidToken() {
        String session = signUp(email("web.race"));
        String contested = email("web.contested");
        Mail mail = Mailbox.next(fixture, contested, () -> requestChange(session, contested, PASSWORD));
        signUp(contested);

        assertProblem(confirm(mail.token()), 400, "invalid_token");
    }
}
