package io.github.accounts.core;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.passkey.PasskeyInfo;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/passkeys.md as written (a software authenticator plays the browser); DocsSnippetsTest checks that the two agree. */
class ReadmePasskeysExampleTest {

    @Test
    void theReadmeSnippetRuns() {
        DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
        SoftAuthenticator browser = new SoftAuthenticator("https://app.example.com", "example.com");
        ClientInfo client = new ClientInfo("Firefox/140", "203.0.113.7");
        try (Accounts setUp = Accounts.builder(dataSource).throttleSecret(TestAccounts.THROTTLE_SECRET).build()) {
            String password = "a long and unusual passphrase";
            String sessionToken = setUp.signIns().signUp(new NewUser("pia@example.com", "Pia", "Key", password), client)
                    .session().sessionToken();
            DatabaseRows.update(dataSource, "update users set email_verified_at = created_at"); // factors need it
            // --- docs snippet starts
            try (Accounts accounts = Accounts.builder(dataSource)
                    .throttleSecret(TestAccounts.THROTTLE_SECRET) // not in the docs
                    .passkeys(PasskeyConfig.of("example.com", "Example",               // RP ID, the name shown
                            Set.of("https://example.com", "https://app.example.com"))) // the exact origins allowed
                    .build()) {
                Authenticated who = accounts.sessions().authenticate(sessionToken);        // her email verified
                accounts.reauthentication().withPassword(who, password);                         // a fresh proof: adding a way in needs one
                PasskeyOptions add = accounts.passkeys().registrationOptions(who);  // add.optionsJson() to the page
                String created = browser.register(add.optionsJson());           // the page's credential.toJSON()
                PasskeyInfo passkey = accounts.passkeys().add(who, add.ceremonyId(), created, "My phone", client);

                PasskeyOptions signIn = accounts.passkeys().signInOptions(client);  // no email asked
                String asserted = browser.assertion(signIn.optionsJson());
                SignedIn in = accounts.passkeys().signIn(signIn.ceremonyId(), asserted, client);
                // --- docs snippet ends
                assertThat(passkey.name()).isEqualTo("My phone");
                assertThat(in.user().email()).isEqualTo("pia@example.com");
                assertThat(accounts.passkeys().list(who)).extracting(PasskeyInfo::id).containsExactly(passkey.id());
            }
        }
    }
}
