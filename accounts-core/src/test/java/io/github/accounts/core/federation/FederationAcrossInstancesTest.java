package io.github.accounts.core.federation;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A federated flow begun on one instance and finished on another sharing its database (as behind a load balancer
 * without sticky sessions): the flow, the pending link and the re-authentication live in the database, and nothing
 * of them in one instance's memory. On H2 and PostgreSQL.
 */
@OnEachDatabase
class FederationAcrossInstancesTest extends FederationFixture {
    private EntityManagerFactory otherEmf;
    /** The second instance: its own persistence unit and Accounts over the same database, the same host settings. */
    private Accounts other;

    @BeforeEach
    void startTheOtherInstance() {
        otherEmf = Accounts.entityManagerFactory(t.dataSource, Map.of());
        other = Accounts.builder(otherEmf).config(config()).clock(t.clock).mailer((to, subject, body) -> { })
                .throttleSecret(TestAccounts.THROTTLE_SECRET).federation(providers.settings())
                .publicUrl(TestAccounts.PUBLIC_URL).housekeeping(false).build();
    }

    @AfterEach
    void stopTheOtherInstance() {
        other.close();
        otherEmf.close();
    }

    @Test
    void aSignInBegunOnOneInstanceIsFinishedOnTheOther() {
        String email = uniqueEmail("fed.across");
        FederatedStart start = accounts.federation().start("oidc", "/welcome", BROWSER);
        providers.nextOidcUser("oidc", subject(), verified(email));

        CallbackOutcome outcome = other.federation().finish("oidc", providers.visit(start.authorizationUrl()),
                start.browserKey(), BROWSER);

        SignedIn in = signedIn(outcome);
        assertThat(in.user().email()).isEqualTo(email);
        assertThat(accounts.sessions().authenticate(in.session().sessionToken()).userId()).isEqualTo(in.user().id());
        assertThat(accounts.federation().finish("oidc", providers.visit(start.authorizationUrl()),
                start.browserKey(), BROWSER)).as("used up for every instance")
                .isInstanceOf(CallbackOutcome.Failed.class);
    }

    @Test
    void aLinkWaitingForProofOnOneInstanceIsProvedOnTheOther() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.across.link");
        FederatedStart start = other.federation().start("oidc", null, BROWSER);
        providers.nextOidcUser("oidc", subject(), verified(owner.email()));
        CallbackOutcome outcome = other.federation().finish("oidc", providers.visit(start.authorizationUrl()),
                start.browserKey(), BROWSER);
        assertThat(outcome).isInstanceOf(CallbackOutcome.LinkRequired.class);

        SignedIn in = accounts.federation().completeLink(((CallbackOutcome.LinkRequired) outcome).linkToken(),
                start.browserKey(), owner.password(), BROWSER);

        assertThat(in.user().id()).isEqualTo(owner.id());
        assertThat(other.federation().identities(other.sessions().authenticate(in.session().sessionToken())))
                .singleElement().satisfies(i -> assertThat(i.provider()).isEqualTo("oidc"));
    }

    @Test
    void aReauthenticationBegunOnOneInstanceProvesTheSessionOnEvery() {
        String subject = subject();
        SignedIn in = signedIn(oidcSignIn(subject, verified(uniqueEmail("fed.across.reauth"))));
        Authenticated who = accounts.sessions().authenticate(in.session().sessionToken());
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED,
                () -> other.federation().startLink(who, "github", null, BROWSER));
        FederatedStart start = accounts.federation().startReauthentication(who, "oidc", null, BROWSER);
        Map<String, Object> claims = new HashMap<>(verified(uniqueEmail("fed.across.claims")));
        claims.put("auth_time", t.clock.instant().getEpochSecond());
        providers.nextOidcUser("oidc", subject, claims);

        CallbackOutcome outcome = other.federation().finish("oidc", providers.visitLoggingIn(start.authorizationUrl(),
                subject, claims), start.browserKey(), BROWSER);

        assertThat(outcome).isInstanceOf(CallbackOutcome.Reauthenticated.class);
        assertThat(accounts.federation().startLink(who, "github", null, BROWSER).authorizationUrl()).isNotBlank();
    }
}
