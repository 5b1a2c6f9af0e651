package io.github.accounts.core;

import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing secret at rest: after every operation that makes a token or takes a password, the tables read back with
 * plain JDBC hold only SHA-256 digests of tokens and Argon2id digests of passwords, and no email in the throttle.
 */
@OnEachDatabase
class SecretsAtRestTest extends StorageTest {
    private static final String DIGEST = "[A-Za-z0-9_-]{43}";

    @Test
    void noRawTokenPasswordOrThrottledEmailIsStoredAnywhere() {
        List<String> secrets = new ArrayList<>();
        TestUser user = TestUsers.signUp(accounts, "secrets");
        secrets.add(user.password());
        addTokens(secrets, user.session());
        IssuedSession second = accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("UA", "192.0.2.77")).session();
        addTokens(secrets, second);
        IssuedSession refreshed = accounts.sessions().refresh(second.updateToken());
        addTokens(secrets, refreshed);
        Authenticated me = accounts.sessions().authenticate(refreshed.sessionToken());

        String changed = strongPassword();
        accounts.profile().changePassword(me, user.password(), changed);
        secrets.add(changed);
        String verification = Mailbox.next(t, user.email(), () -> accounts.mail().requestEmailVerification(me)).token();
        secrets.add(verification);
        String reset = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestPasswordReset(user.email(), new ClientInfo(null, "192.0.2.78"))).token();
        secrets.add(reset);
        String wrong = strongPassword();
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), wrong, new ClientInfo(null, "192.0.2.79")));
        secrets.add(wrong);

        List<String> stored = DatabaseRows.everyStoredValue(t.dataSource);
        for (String secret : secrets) {
            assertThat(stored).as("secret %s", secret).noneMatch(value -> value.contains(secret));
        }
        List<String> throttleValues = DatabaseRows.query(t.dataSource, "select * from sign_in_throttle").stream()
                .flatMap(row -> row.values().stream()).filter(v -> v != null).toList();
        assertThat(throttleValues).noneMatch(v -> v.contains(user.email()) || v.contains("192.0.2."));

        Map<String, String> row = DatabaseRows.one(t.dataSource,
                "select token_digest, update_digest from sessions where id = ?", second.id());
        assertThat(row).containsEntry("token_digest", DatabaseRows.sha256(refreshed.sessionToken()))
                .containsEntry("update_digest", DatabaseRows.sha256(refreshed.updateToken()));
        assertThat(DatabaseRows.one(t.dataSource, "select digest from rotated_update_tokens where session_id = ?",
                second.id())).containsEntry("digest", DatabaseRows.sha256(second.updateToken()));
        assertThat(DatabaseRows.query(t.dataSource, "select token_digest from one_time_tokens where user_id = ?", user.id()))
                .extracting(r -> r.get("token_digest"))
                .containsExactlyInAnyOrder(DatabaseRows.sha256(verification), DatabaseRows.sha256(reset));
    }

    @Test
    void storedDigestsHaveTheExpectedShapes() {
        TestUser user = TestUsers.signUp(accounts, "shapes");
        accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown());
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(user.email(), strongPassword(), ClientInfo.unknown()));

        assertThat(DatabaseRows.one(t.dataSource, "select password_digest from users where id = ?", user.id())
                .get("password_digest")).startsWith("$argon2id$");
        Map<String, String> session = DatabaseRows.one(t.dataSource,
                "select token_digest, update_digest, previous_update_digest from sessions where id = ?", user.session().id());
        assertThat(session.get("token_digest")).matches(DIGEST).isEqualTo(DatabaseRows.sha256(user.session().sessionToken()));
        assertThat(session.get("update_digest")).matches(DIGEST).isEqualTo(DatabaseRows.sha256(user.session().updateToken()));
        assertThat(session.get("previous_update_digest")).isNull();
        assertThat(DatabaseRows.one(t.dataSource, "select token_digest from one_time_tokens where user_id = ?", user.id())
                .get("token_digest")).matches(DIGEST);
        assertThat(DatabaseRows.one(t.dataSource, "select failures from sign_in_throttle where throttle_key = ?",
                TestAccounts.throttleKeys().account("sign-in", user.email()))).containsEntry("failures", "1");
    }

    private static void addTokens(List<String> secrets, IssuedSession session) {
        secrets.add(session.sessionToken());
        secrets.add(session.updateToken());
    }
}
