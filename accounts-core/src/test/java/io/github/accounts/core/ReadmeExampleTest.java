package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/core.md as written; DocsSnippetsTest checks that the two agree. */
class ReadmeExampleTest {

    @Test
    void theReadmeSnippetRuns() {
        DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
        // --- docs snippet starts
        HostSecret secret = HostSecret.development(); // not in the docs
        EntityManagerFactory emf = Accounts.entityManagerFactory(dataSource, Map.of());
        try (Accounts accounts = Accounts.builder(emf).secret(secret).config(AccountsConfig.originalDesign()).build()) {
            SignedIn alice = accounts.signIns().signUp(
                    new NewUser("alice@example.com", "Alice", "Liddell", "a long and unusual passphrase"),
                    new ClientInfo("curl/8.5", "203.0.113.7"));
            Authenticated who = accounts.sessions().authenticate(alice.session().sessionToken());
            System.out.println("Signed in as " + who.user().email());
            try {
                accounts.signIns().signIn("alice@example.com", "not her password at all", ClientInfo.unknown());
            } catch (AccountsException e) {
                System.out.println(e.code().wireName()); // invalid_credentials
            }
            // --- docs snippet ends
            assertThat(who.user().fname()).isEqualTo("Alice");
            assertThat(accounts.sessions().list(who)).hasSize(1);
        }
        emf.close();
    }
}
