package io.github.accounts.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.web.TestClient.Reply;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.github.accounts.web.HttpSuite.PASSWORD;
import static io.github.accounts.web.HttpSuite.assertProblem;
import static io.github.accounts.web.HttpSuite.email;
import static io.github.accounts.web.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recent authentication over a real socket, written as the attacks it stops: a stolen bearer token (a sign-in, no
 * proof) cannot plant a passkey, an unverified account cannot add a passkey or TOTP, a proof lasts 5 minutes, and
 * wrong proofs count toward the sign-in throttle; on H2 and on PostgreSQL.
 */
@OnEachDatabase
class ReauthenticationRoutesTest extends HttpSuiteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A signed-up user with a verified email: address and session token. */
    private record Account(String email, String token) {
    }

    private Account verified(String hint) {
        String email = email(hint);
        String token = suite.signUpToken(email);
        suite.verifyEmail(suite.fixture, "/accounts", email, token);
        return new Account(email, token);
    }

    private String signIn(Account a) {
        Reply r = suite.post("/accounts/sessions", json("email", a.email(), "password", PASSWORD));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().at("/session/session_token").asText();
    }

    private Reply reauthenticate(String token, String body) {
        return suite.send("POST", "/accounts/sessions/reauthenticate", body, token);
    }

    private Reply options(String token, String body) {
        return suite.send("POST", "/accounts/users/me/passkeys/options", body, token);
    }

    private Reply add(String token, Reply options, SoftAuthenticator authenticator) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("ceremony_id", options.json().get("ceremony_id").asText());
        body.set("credential", JSON.readTree(authenticator.register(options.json().get("options").toString())));
        return suite.send("POST", "/accounts/users/me/passkeys", body.toString(), token);
    }

    private int rows(String sql, Object... params) {
        return DatabaseRows.query(suite.fixture.dataSource, sql, params).size();
    }

    @Test
    void aStolenBearerTokenCannotPlantAPasskey() throws Exception {
        Account owner = verified("reauth.stolen");
        Reply begunByOwner = options(owner.token(), json("password", PASSWORD));
        assertThat(begunByOwner.status()).as(begunByOwner.body()).isEqualTo(200);
        suite.fixture.clock.advance(Duration.ofMinutes(5));
        String stolen = signIn(owner); // the thief's copy of a fresh session: signed in, never proved
        long userId = suite.get("/accounts/users/me", stolen).json().at("/user/id").asLong();
        int ceremonies = rows("select id from passkey_ceremonies where user_id = ?", userId);

        assertProblem(options(stolen, null), 403, "reauthentication_required");
        assertProblem(add(stolen, begunByOwner, TestAccounts.authenticator()), 403, "reauthentication_required");
        assertProblem(add(owner.token(), begunByOwner, TestAccounts.authenticator()), 403,
                "reauthentication_required"); // the owner's own proof is five minutes old

        assertThat(rows("select id from passkey_ceremonies where user_id = ?", userId)).isEqualTo(ceremonies);
        assertThat(rows("select id from passkey_credentials where user_id = ?", userId)).isZero();
        assertThat(suite.get("/accounts/users/me/passkeys", owner.token()).json().get("passkeys")).isEmpty();
    }

    @Test
    void anUnverifiedAccountCannotAddAPasskeyOrTotp() {
        String email = email("reauth.unverified");
        String token = suite.signUpToken(email);

        assertProblem(options(token, json("password", PASSWORD)), 409, "email_not_verified");
        assertProblem(suite.send("POST", "/accounts/users/me/passkeys", json("ceremony_id", "x", "credential",
                JSON.createObjectNode(), "password", PASSWORD), token), 409, "email_not_verified");
        assertProblem(suite.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD), token), 409,
                "email_not_verified");

        long userId = suite.get("/accounts/users/me", token).json().at("/user/id").asLong();
        assertThat(rows("select id from passkey_ceremonies where user_id = ?", userId)).isZero();
        assertThat(rows("select id from mfa_totp where user_id = ?", userId)).isZero();
    }

    @Test
    void aReauthenticatedSessionAddsAPasskeyWithinFiveMinutesOnly() throws Exception {
        Account a = verified("reauth.window");

        Reply proved = reauthenticate(a.token(), json("password", PASSWORD));
        assertThat(proved.status()).as(proved.body()).isEqualTo(200);
        assertThat(Instant.parse(proved.json().get("reauthenticated_until").asText()))
                .isEqualTo(suite.fixture.clock.instant().plus(Duration.ofMinutes(5)));
        Reply options = options(a.token(), null);
        assertThat(options.status()).as(options.body()).isEqualTo(200);
        assertThat(add(a.token(), options, TestAccounts.authenticator()).status()).isEqualTo(201);

        suite.fixture.clock.advance(Duration.ofMinutes(5));
        assertProblem(options(a.token(), null), 403, "reauthentication_required");
        assertProblem(options(a.token(), json("password", "not the password at all")), 403, "wrong_password");
        assertThat(options(a.token(), json("password", PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void removingAPasskeyNeedsASignInOrProofWithinTenMinutes() throws Exception {
        Account a = verified("reauth.remove");
        Reply options = options(a.token(), json("password", PASSWORD));
        long id = add(a.token(), options, TestAccounts.authenticator()).json().at("/passkey/id").asLong();
        suite.fixture.clock.advance(Duration.ofMinutes(10));

        assertProblem(suite.send("DELETE", "/accounts/users/me/passkeys/" + id, null, a.token()), 403,
                "reauthentication_required");
        assertThat(reauthenticate(a.token(), json("password", PASSWORD)).status()).isEqualTo(200);
        assertThat(suite.send("DELETE", "/accounts/users/me/passkeys/" + id, null, a.token()).status())
                .isEqualTo(204);
    }

    @Test
    void wrongProofsCountTowardTheSignInThrottle() {
        Account a = verified("reauth.guess");

        for (int i = 0; i < 4; i++) {
            assertProblem(reauthenticate(a.token(), json("password", "not the password at all")), 403,
                    "wrong_password");
        }
        assertProblem(reauthenticate(a.token(), json("code", "123456")), 401, "invalid_mfa_code"); // TOTP is off

        Reply throttled = reauthenticate(a.token(), json("password", PASSWORD));
        assertProblem(throttled, 429, "throttled");
        assertThat(throttled.header("Retry-After")).isNotNull();
        assertProblem(suite.post("/accounts/sessions", json("email", a.email(), "password", PASSWORD)), 429,
                "throttled");
        assertProblem(options(a.token(), null), 403, "reauthentication_required");
    }

    @Test
    void aTotpCodeOrAPasskeyReauthenticates() throws Exception {
        Account a = verified("reauth.factors");
        Reply started = suite.send("POST", "/accounts/users/me/mfa/totp", json("password", PASSWORD), a.token());
        Authenticator app = new Authenticator(started.json().get("secret").asText());
        suite.fixture.clock.advance(Duration.ofSeconds(30));
        assertThat(suite.send("POST", "/accounts/users/me/mfa/totp/confirm", json("code", app.code(suite.fixture
                .clock)), a.token()).status()).isEqualTo(200);
        SoftAuthenticator key = TestAccounts.authenticator();
        add(a.token(), options(a.token(), json("password", PASSWORD)), key);
        suite.fixture.clock.advance(Duration.ofMinutes(5));

        String code = app.code(suite.fixture.clock);
        assertThat(reauthenticate(a.token(), json("code", code)).status()).isEqualTo(200);
        assertProblem(reauthenticate(a.token(), json("code", code)), 401, "invalid_mfa_code"); // replayed
        suite.fixture.clock.advance(Duration.ofMinutes(5));
        Reply begun = suite.send("POST", "/accounts/sessions/reauthenticate/passkey-options", null, a.token());
        assertThat(begun.status()).as(begun.body()).isEqualTo(200);
        ObjectNode body = JSON.createObjectNode().put("ceremony_id", begun.json().get("ceremony_id").asText());
        body.set("credential", JSON.readTree(key.assertion(begun.json().get("options").toString())));
        Reply proved = reauthenticate(a.token(), body.toString());
        assertThat(proved.status()).as(proved.body()).isEqualTo(200);
        assertThat(options(a.token(), null).status()).isEqualTo(200);
        assertProblem(reauthenticate(a.token(), body.toString()), 400, "invalid_ceremony");
    }
}
