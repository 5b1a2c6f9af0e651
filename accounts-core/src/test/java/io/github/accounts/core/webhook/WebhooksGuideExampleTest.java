package io.github.accounts.core.webhook;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/webhooks.md as written; DocsSnippetsTest checks that the two agree. */
class WebhooksGuideExampleTest {
    /** Stands for DNS: the guide's receiver has a public address. */
    private static final HostResolver PUBLIC = host -> List.of(InetAddress.getByName("93.184.216.34"));

    @Test
    void theGuideSnippetRuns() {
        DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
        byte[] webhookKey = "32 bytes from your secret store!".getBytes(StandardCharsets.UTF_8);
        ClientInfo client = new ClientInfo("Firefox/140", "203.0.113.7");
        WebhookPolicy policy = WebhookPolicy.strict();
        policy = policy.withResolver(PUBLIC); // not in the docs
        // --- docs snippet starts
        try (Accounts accounts = Accounts.builder(dataSource)
                .secret(TestAccounts.SECRET) // not in the docs
                .webhooks(webhookKey, policy)          // 32 random bytes; WebhookPolicy.strict() in production
                .build()) {
            Authenticated operator = accounts.sessions().authenticate(accounts.signIns().signUp(new NewUser("ops@example.com", "Op", // not in the docs
                    "Erator", "a long and unusual passphrase"), client).session().sessionToken()); // not in the docs
            CreatedWebhook hook = accounts.webhooks().create(operator, "https://crm.example.com/hooks",
                    List.of("user.signed_up", "session.*"), "CRM sync", client);
            String secret = hook.secret();             // whsec_...: shown this once, give it to the receiver
            // --- docs snippet ends
            assertThat(secret).startsWith("whsec_");
            assertThat(accounts.webhooks().list()).containsExactly(hook.webhook());
        }
    }
}
