package io.github.accounts.demo;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.user.UserInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ADMIN_EMAILS and the /admin/accounts mount: a listed email makes an operator, who must verify it to act. */
class AdminMountTest {

    private static Authenticated signedIn(String email, boolean verified) {
        Instant now = Instant.now();
        return new Authenticated(new UserInfo(1, email, "Ada", "Lovelace", verified, now, now), 1);
    }

    @Test
    void anOperatorIsAListedEmail() {
        Settings s = Settings.from(Map.of("ADMIN_EMAILS", " Boss@Example.com, ops@example.com "));

        assertThat(s.isOperator(signedIn("boss@example.com", true))).isTrue();
        assertThat(s.isOperator(signedIn("ops@example.com", true))).isTrue();
        assertThat(s.isOperator(signedIn("boss@example.com", false))).isTrue(); // the admin routes check that
        assertThat(s.isOperator(signedIn("someone@example.com", true))).isFalse();
        assertThat(Settings.from(Map.of()).isOperator(signedIn("boss@example.com", true))).isFalse();
    }

    @Test
    void theAdminRoutesAreMountedAndRefuseAnUnverifiedListedUser() {
        try (TestApp app = new TestApp(Map.of("ADMIN_EMAILS", "boss@example.com"))) {
            String token = app.signUp("boss@example.com", "Boss");

            TestApp.Reply noSession = app.get("/admin/accounts/users", null);
            TestApp.Reply unverified = app.get("/admin/accounts/users", token);

            assertThat(noSession.status()).isEqualTo(401);
            assertThat(unverified.status()).isEqualTo(409);
            assertThat(unverified.json().path("code").asText()).isEqualTo("email_not_verified");
        }
    }
}
