package io.github.accounts.web;

import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.HttpSuite.email;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /users/me/email} and its confirmation over a real socket, on H2 and on PostgreSQL. */
@OnEachDatabase
class EmailChangeRoutesTest extends HttpSuiteTest {
    private Reply requestChange(String token, String newEmail, String password) {
        return suite.send("POST", "/accounts/users/me/email", json("new_email", newEmail, "password", password),
                token);
    }

    private Reply confirm(String token) {
        return suite.send("POST", "/accounts/users/me/email/confirm", json("token", token), null);
    }

    @Test
    void aRequestIs202AndTheMailedTokenConfirmsWithoutASession() {
        String old = email("web.change");
        String session = suite.signUpToken(old);
        String newEmail = email("web.changed");

        Mail mail = Mailbox.next(suite.fixture, newEmail, () ->
                assertThat(requestChange(session, newEmail, PASSWORD).status()).isEqualTo(202));
        Reply r = confirm(mail.token());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("user").get("email").asText()).isEqualTo(newEmail);
        assertThat(r.json().get("user").get("email_verified").asBoolean()).isTrue();
        assertThat(suite.get("/accounts/users/me", session).json().get("user").get("email").asText())
                .isEqualTo(newEmail);
        Mailbox.awaitNotices(suite.fixture, old, "Your email address was changed", 1);
        assertProblem(confirm(mail.token()), 400, "invalid_token");
    }

    @Test
    void anAddressOfAnotherAccountIsAlso202AndThatAddressIsTold() {
        String session = suite.signUpToken(email("web.taker"));
        String owner = email("web.owner");
        suite.signUpToken(owner);

        Mail told = Mailbox.next(suite.fixture, owner, () ->
                assertThat(requestChange(session, owner, PASSWORD).status()).isEqualTo(202));

        assertThat(told.subject()).isEqualTo("Someone tried to use your email address");
    }

    @Test
    void aWrongPasswordIs403WrongPassword() {
        String session = suite.signUpToken(email("web.wrong"));

        assertProblem(requestChange(session, email("web.wrong.new"), "not the password at all"), 403,
                "wrong_password");
    }

    @Test
    void withoutASessionTheRequestIs401() {
        assertProblem(requestChange(null, email("web.anon"), PASSWORD), 401, "unauthenticated");
    }

    @Test
    void badFieldsAre400ValidationFailed() {
        String session = suite.signUpToken(email("web.bad"));

        Reply r = requestChange(session, "nope", null);

        assertProblem(r, 400, "validation_failed");
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("new_email",
                "password");
        assertProblem(suite.send("POST", "/accounts/users/me/email/confirm", "{}", null), 400, "validation_failed");
        assertProblem(confirm("garbage"), 400, "invalid_token");
    }

    @Test
    void anAddressTakenByASignUpBeforeConfirmationIs400InvalidToken() {
        String session = suite.signUpToken(email("web.race"));
        String contested = email("web.contested");
        Mail mail = Mailbox.next(suite.fixture, contested, () -> requestChange(session, contested, PASSWORD));
        suite.signUpToken(contested);

        assertProblem(confirm(mail.token()), 400, "invalid_token");
    }
}
