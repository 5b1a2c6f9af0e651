package io.github.accounts.core;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventPage;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/events.md as written; DocsSnippetsTest checks that the two agree. */
class ReadmeEventsExampleTest {

    @Test
    void theReadmeSnippetRuns() throws InterruptedException {
        DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
        EntityManagerFactory emf = Accounts.entityManagerFactory(dataSource, Map.of());
        BlockingQueue<AccountEvent> heard = new LinkedBlockingQueue<>();
        // --- docs snippet starts
        try (Accounts accounts = Accounts.builder(emf)
                .throttleSecret(TestAccounts.THROTTLE_SECRET) // not in the docs
                .eventListener(event -> System.out.println(event.type() + " of user " + event.userId()))
                .eventListener(heard::add)              // e.g. your metrics, notifications, audit log
                .eventRetention(Duration.ofDays(30))    // default 90 days; purgeExpired() deletes older events
                .build()) {
            SignedIn alice = accounts.signIns().signUp(
                    new NewUser("alice@example.com", "Alice", "Liddell", "a long and unusual passphrase"),
                    new ClientInfo("curl/8.5", "203.0.113.7"));
            Authenticated who = accounts.sessions().authenticate(alice.session().sessionToken());
            EventPage page = accounts.events().page(who, null, 20);          // newest first, at most 20
            for (AccountEvent e : page.events()) {
                System.out.println(e.at() + " " + e.type() + " " + e.ip() + " " + e.detail()); // user.signed_up ...
            }
            if (page.next() != null) {
                accounts.events().page(who, page.next(), 20);                // the next, older, page
            }
            // --- docs snippet ends
            assertThat(page.events()).extracting(AccountEvent::type).containsExactly(AccountEvent.USER_SIGNED_UP);
            assertThat(heard.poll(10, TimeUnit.SECONDS).type()).isEqualTo(AccountEvent.USER_SIGNED_UP);
        }
        emf.close();
    }
}
