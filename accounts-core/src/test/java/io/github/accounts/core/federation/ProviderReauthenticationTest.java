package io.github.accounts.core.federation;

import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestProviders;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-authentication through a provider ({@code POST /sessions/reauthenticate {provider}}): a fresh login at the
 * provider, with one of the account's own identities, proves the session that began the flow, and nothing else does:
 * another identity, a login the provider does not say is fresh, another browser, a session signed out meanwhile.
 */
@OnEachDatabase
class ProviderReauthenticationTest extends FederationFixture {
    /** An account made by the provider (no password), signed in by it: its session, and its identity's subject. */
    private record Member(SignedIn signedIn, String subject) {
    }

    private Member member(String hint) {
        String subject = subject();
        return new Member(signedIn(oidcSignIn(subject, verified(uniqueEmail(hint)))), subject);
    }

    /** Claims of a login at the provider {@code ago} before now (the account's clock). */
    private Map<String, Object> loggedIn(Duration ago) {
        Map<String, Object> claims = new HashMap<>(verified(uniqueEmail("fed.reauth.claims")));
        claims.put("auth_time", t.clock.instant().minus(ago).getEpochSecond());
        return claims;
    }

    /** Begins a re-authentication of {@code who} and takes it through the provider as {@code subject}. */
    private CallbackOutcome reauthenticate(Authenticated who, String subject, Map<String, Object> claims) {
        FederatedStart start = accounts.federation().startReauthentication(who, "oidc", "/settings", BROWSER);
        providers.nextOidcUser("oidc", subject, claims);
        return accounts.federation().finish("oidc", providers.visitLoggingIn(start.authorizationUrl(), subject,
                claims), start.browserKey(), BROWSER);
    }

    private static Map<String, List<String>> query(String url) {
        return TestProviders.query(URI.create(url).getRawQuery());
    }

    private void requiresProof(Authenticated who) {
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED,
                () -> accounts.federation().startLink(who, "github", null, BROWSER));
    }

    @Test
    void aFreshLoginWithTheAccountsOwnIdentityReauthenticatesTheSessionThatAsked() {
        Member m = member("fed.reauth.ok");
        Authenticated who = as(m.signedIn());
        requiresProof(who);

        CallbackOutcome outcome = reauthenticate(who, m.subject(), loggedIn(Duration.ZERO));

        assertThat(outcome).isInstanceOf(CallbackOutcome.Reauthenticated.class);
        assertThat(outcome.returnTo()).isEqualTo("/settings");
        assertThat(((CallbackOutcome.Reauthenticated) outcome).reauthenticatedUntil()).isAfter(t.clock.instant());
        assertThat(accounts.federation().startLink(who, "github", null, BROWSER).authorizationUrl()).isNotBlank();
    }

    @Test
    void theProviderIsAskedForAFreshLogin() {
        Member m = member("fed.reauth.prompt");

        FederatedStart start = accounts.federation().startReauthentication(as(m.signedIn()), "oidc", null, BROWSER);

        Map<String, List<String>> query = query(start.authorizationUrl());
        assertThat(query).containsEntry("prompt", List.of("login")).containsEntry("max_age", List.of("0"))
                .containsKeys("state", "nonce", "code_challenge");
        FederatedStart signIn = accounts.federation().start("oidc", null, BROWSER);
        assertThat(query(signIn.authorizationUrl())).doesNotContainKeys("prompt", "max_age");
    }

    @Test
    void onlyTheSessionThatBeganTheFlowIsProved() {
        Member m = member("fed.reauth.other.session");
        SignedIn otherDevice = signedIn(oidcSignIn(m.subject(), verified(uniqueEmail("fed.reauth.x"))));

        reauthenticate(as(m.signedIn()), m.subject(), loggedIn(Duration.ZERO));

        requiresProof(as(otherDevice));
    }

    @Test
    void anotherIdentityAtTheProviderProvesNothing() {
        Member m = member("fed.reauth.stranger");
        Member stranger = member("fed.reauth.stranger.other");
        Authenticated who = as(m.signedIn());

        assertThat(reauthenticate(who, stranger.subject(), loggedIn(Duration.ZERO)))
                .isEqualTo(new CallbackOutcome.Failed("/settings", "identity_taken"));
        assertThat(reauthenticate(who, subject(), loggedIn(Duration.ZERO)))
                .as("an identity linked to no account").isEqualTo(new CallbackOutcome.Failed("/settings",
                        "identity_taken"));
        requiresProof(who);
        assertThat(identities(stranger.subject())).isEqualTo(1);
    }

    @Test
    void aLoginTheProviderDoesNotShowAsFreshProvesNothing() {
        Member m = member("fed.reauth.stale");
        Authenticated who = as(m.signedIn());

        assertThat(reauthenticate(who, m.subject(), loggedIn(Duration.ofHours(2))))
                .isEqualTo(new CallbackOutcome.Failed("/settings", "provider_error"));
        assertThat(reauthenticate(who, m.subject(), verified(uniqueEmail("fed.reauth.noauthtime"))))
                .as("no auth_time").isEqualTo(new CallbackOutcome.Failed("/settings", "provider_error"));
        requiresProof(who);
    }

    @Test
    void theCallbackInAnotherBrowserProvesNothing() {
        Member m = member("fed.reauth.browser");
        Authenticated who = as(m.signedIn());
        FederatedStart start = accounts.federation().startReauthentication(who, "oidc", null, BROWSER);
        FederatedStart attackers = accounts.federation().start("oidc", null, BROWSER);
        Map<String, List<String>> callback = providers.visitLoggingIn(start.authorizationUrl(), m.subject(),
                loggedIn(Duration.ZERO));

        CallbackOutcome outcome = accounts.federation().finish("oidc", callback, attackers.browserKey(), BROWSER);

        assertThat(outcome).isEqualTo(new CallbackOutcome.Failed("/", "invalid_state"));
        assertThat(accounts.federation().finish("oidc", callback, start.browserKey(), BROWSER))
                .as("and the flow is used up").isEqualTo(new CallbackOutcome.Failed("/", "invalid_state"));
        requiresProof(who);
    }

    @Test
    void aSessionSignedOutMeanwhileIsNotProved() {
        Member m = member("fed.reauth.signedout");
        Authenticated who = as(m.signedIn());
        FederatedStart start = accounts.federation().startReauthentication(who, "oidc", null, BROWSER);
        accounts.sessions().signOut(who); // no token is queued: the flow ends before the provider is asked for one

        CallbackOutcome outcome = accounts.federation().finish("oidc", providers.visitLoggingIn(
                start.authorizationUrl(), m.subject(), loggedIn(Duration.ZERO)), start.browserKey(), BROWSER);

        assertThat(outcome).isEqualTo(new CallbackOutcome.Failed("/", "invalid_state"));
    }

    @Test
    void anAccountWithoutAnIdentityAtTheProviderCannotBegin() {
        TestUser user = TestUsers.signUpVerified(t, "fed.reauth.none");
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());

        failsWith(ErrorCode.NOT_FOUND, () -> accounts.federation().startReauthentication(who, "oidc", null, BROWSER));
        failsWith(ErrorCode.UNKNOWN_PROVIDER,
                () -> accounts.federation().startReauthentication(who, "nope", null, BROWSER));
        failsWith(ErrorCode.INVALID_RETURN_TO,
                () -> accounts.federation().startReauthentication(who, "oidc", "//evil.example", BROWSER));
    }

    @Test
    void anAccountWithoutAPasswordProvesItselfByItsRecentSignInWhereARouteTakesAPassword() {
        Member m = member("fed.nopw.delete");

        accounts.profile().deleteAccount(as(m.signedIn()), null);

        failsWith(ErrorCode.UNAUTHENTICATED, () -> as(m.signedIn()));
        assertThat(identities(m.subject())).isZero();
    }

    @Test
    void laterAnAccountWithoutAPasswordIsAskedToReauthenticateNotForAPassword() {
        Member m = member("fed.nopw.later");
        Authenticated who = as(m.signedIn());
        t.clock.advance(Duration.ofMinutes(6));

        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.profile().deleteAccount(who, null));
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED,
                () -> accounts.profile().deleteAccount(who, "any password at all"));
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED,
                () -> accounts.profile().changePassword(who, null, TestUsers.strongPassword()));
        assertThat(reauthenticate(who, m.subject(), loggedIn(Duration.ZERO)))
                .isInstanceOf(CallbackOutcome.Reauthenticated.class);

        String password = TestUsers.strongPassword();
        accounts.profile().changePassword(who, null, password);
        assertThat(accounts.signIns().signIn(m.signedIn().user().email(), password, BROWSER).user().hasPassword())
                .isTrue();
    }

    @Test
    void aPasswordIsNoProofForAnAccountWithoutOneEvenRightAfterItsSignIn() {
        Member m = member("fed.nopw.reauth");
        Authenticated who = as(m.signedIn());

        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.reauthentication().withPassword(who, "guessing away"));
        requiresProof(who);
    }

    @Test
    void anAccountWithAPasswordStillNeedsItRightAfterSigningIn() {
        TestUser user = TestUsers.signUpVerified(t, "fed.pw.delete");
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());

        failsWith(ErrorCode.VALIDATION_FAILED, () -> accounts.profile().deleteAccount(who, null));
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.profile().deleteAccount(who, "not the password at all"));
        accounts.profile().deleteAccount(who, user.password());
    }
}
