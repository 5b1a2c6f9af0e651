package io.github.accounts.core.federation;

import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestProviders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the federation tests share: real providers ({@link TestProviders}) started once per class, accounts that offer
 * them, and the browser's round trip.
 */
abstract class FederationFixture extends StorageTest {
    static final ClientInfo BROWSER = new ClientInfo("Browser/1.0", "198.51.100.7");
    private static final AtomicLong SUBJECTS = new AtomicLong(1000);

    TestProviders providers;
    /** The pre-auth cookie of the last flow {@link #signInWith} began. */
    String lastBrowserKey;

    @BeforeAll
    void startProviders() {
        providers = new TestProviders();
    }

    @AfterAll
    void stopProviders() {
        providers.close();
    }

    @Override
    protected AccountsBuilder builder(AccountsBuilder b) {
        return b.federation(providers.settings());
    }

    static long nextGitHubId() {
        return SUBJECTS.incrementAndGet();
    }

    static String subject() {
        return "sub-" + SUBJECTS.incrementAndGet();
    }

    static Map<String, Object> verified(String email) {
        return Map.of("email", email, "email_verified", true, "given_name", "Grace", "family_name", "Hopper");
    }

    /** The whole round trip as a browser makes it: start, the provider, the callback with the same cookie. */
    CallbackOutcome signInWith(String provider, String returnTo) {
        FederatedStart start = accounts.federation().start(provider, returnTo, BROWSER);
        lastBrowserKey = start.browserKey();
        return accounts.federation().finish(provider, providers.visit(start.authorizationUrl()), start.browserKey(),
                BROWSER);
    }

    CallbackOutcome oidcSignIn(String subject, Map<String, Object> claims) {
        providers.nextOidcUser("oidc", subject, claims);
        return signInWith("oidc", "/welcome");
    }

    Authenticated as(SignedIn signedIn) {
        return accounts.sessions().authenticate(signedIn.session().sessionToken());
    }

    static SignedIn signedIn(CallbackOutcome outcome) {
        assertThat(outcome).isInstanceOf(CallbackOutcome.SignedInWith.class);
        return ((CallbackOutcome.SignedInWith) outcome).signedIn();
    }

    List<String> eventTypes(SignedIn signedIn) {
        return accounts.events().page(as(signedIn), null, 100).events().stream().map(AccountEvent::type).toList();
    }

    long users(String email) {
        return Long.parseLong(DatabaseRows.query(t.dataSource,
                "select count(*) as n from users where email = ?", email).get(0).get("n"));
    }

    long identities(String subject) {
        return Long.parseLong(DatabaseRows.query(t.dataSource,
                "select count(*) as n from user_identities where subject = ?", subject).get(0).get("n"));
    }
}
