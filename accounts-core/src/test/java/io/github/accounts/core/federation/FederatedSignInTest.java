package io.github.accounts.core.federation;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.testing.FakeGitHub;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four outcomes of a provider's callback, against real providers (mock-oauth2-server for OpenID Connect, a local
 * stand-in for GitHub): a returning identity signs in, a new address signs up, an unverified account is claimed, a
 * verified one asks for proof (or links automatically where the host opted in), and a signed-in user links another
 * provider; then identities listed and unlinked. On H2 and PostgreSQL.
 */
@OnEachDatabase
class FederatedSignInTest extends FederationFixture {
    @Test
    void aNewVerifiedAddressSignsUpWithoutAPasswordAndIsSignedIn() {
        String email = uniqueEmail("fed.new");

        CallbackOutcome outcome = oidcSignIn(subject(), verified(email));

        SignedIn in = signedIn(outcome);
        assertThat(outcome.returnTo()).isEqualTo("/welcome");
        assertThat(in.user().email()).isEqualTo(email);
        assertThat(in.user().emailVerified()).isTrue();
        assertThat(in.user().hasPassword()).isFalse();
        assertThat(in.user().fname()).isEqualTo("Grace");
        assertThat(in.user().lname()).isEqualTo("Hopper");
        assertThat(accounts.profile().me(as(in)).hasPassword()).isFalse();
        assertThat(as(in).user().hasPassword()).isFalse();
        assertThat(eventTypes(in)).contains(AccountEvent.USER_SIGNED_UP, AccountEvent.IDENTITY_LINKED);
        AccountEvent signUp = accounts.events().page(as(in), null, 100).events().stream()
                .filter(e -> e.type().equals(AccountEvent.USER_SIGNED_UP)).findFirst().orElseThrow();
        assertThat(signUp.detail()).containsEntry("method", "federated").containsEntry("provider", "oidc");
        assertThat(accounts.federation().identities(as(in))).singleElement()
                .satisfies(i -> assertThat(i.provider()).isEqualTo("oidc"))
                .satisfies(i -> assertThat(i.email()).isEqualTo(email));
    }

    @Test
    void aReturningIdentitySignsInToItsAccountWhateverEmailItNowGives() {
        String subject = subject();
        SignedIn first = signedIn(oidcSignIn(subject, verified(uniqueEmail("fed.returning"))));

        SignedIn again = signedIn(oidcSignIn(subject, verified(uniqueEmail("fed.changed"))));

        assertThat(again.user().id()).isEqualTo(first.user().id());
        assertThat(again.session().id()).isNotEqualTo(first.session().id());
        AccountEvent signedIn = accounts.events().page(as(again), null, 100).events().stream()
                .filter(e -> e.type().equals(AccountEvent.SIGNED_IN)).findFirst().orElseThrow();
        assertThat(signedIn.detail()).isEqualTo(Map.of("method", "federated", "provider", "oidc"));
    }

    @Test
    void aPasswordSignInOfAnAccountWithoutPasswordFailsAsAWrongPasswordAfterTheSameHash() {
        String email = uniqueEmail("fed.nopassword");
        signedIn(oidcSignIn(subject(), verified(email)));
        long before = accounts.passwordVerifications();

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(email, strongPassword(), BROWSER));

        assertThat(accounts.passwordVerifications()).isEqualTo(before + 1);
    }

    @Test
    void aPasswordResetGivesAnAccountWithoutPasswordItsFirstPassword() {
        String email = uniqueEmail("fed.reset");
        signedIn(oidcSignIn(subject(), verified(email)));
        String token = Mailbox.next(t, email, () -> accounts.mail().requestPasswordReset(email, BROWSER)).token();
        String password = strongPassword();

        accounts.mail().confirmPasswordReset(token, password, BROWSER);

        SignedIn in = accounts.signIns().signIn(email, password, BROWSER);
        assertThat(in.user().hasPassword()).isTrue();
    }

    @Test
    void providerSignUpTurnedOffMakesNoAccount() {
        String email = uniqueEmail("fed.closed");
        providers.nextOidcUser("second", subject(), verified(email));

        CallbackOutcome outcome = signInWith("second", null);

        assertThat(outcome).isEqualTo(new CallbackOutcome.Failed("/", "sign_up_closed"));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(email, strongPassword(), BROWSER));
        assertThat(users(email)).isZero();
    }

    @Test
    void anUnverifiedAccountWithTheAddressIsClaimedBySomeoneProvingTheInbox() {
        String email = uniqueEmail("fed.claimed");
        String squatterPassword = strongPassword();
        SignedIn squatter = accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, squatterPassword), BROWSER);

        SignedIn owner = signedIn(oidcSignIn(subject(), verified(email)));

        assertThat(owner.user().id()).isEqualTo(squatter.user().id());
        assertThat(owner.user().emailVerified()).isTrue();
        assertThat(owner.user().hasPassword()).as("the squatter's password is gone").isFalse();
        failsWith(ErrorCode.UNAUTHENTICATED, () -> as(squatter));
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.signIns().signIn(email, squatterPassword, BROWSER));
        assertThat(eventTypes(owner)).contains(AccountEvent.USER_CLAIMED, AccountEvent.IDENTITY_LINKED);
        Mailbox.awaitNotices(t, email, "Your account was secured", 1);
    }

    @Test
    void aVerifiedAccountWithTheAddressIsLinkedOnlyOnceItsPasswordIsProved() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.verified");
        String subject = subject();

        CallbackOutcome outcome = oidcSignIn(subject, verified(owner.email()));

        assertThat(outcome).isInstanceOf(CallbackOutcome.LinkRequired.class);
        CallbackOutcome.LinkRequired link = (CallbackOutcome.LinkRequired) outcome;
        assertThat(link.email()).isEqualTo(owner.email());
        assertThat(link.returnTo()).isEqualTo("/welcome");
        assertThat(accounts.federation().identities(as(owner.signedIn()))).as("nothing linked yet").isEmpty();
        String browserKey = lastBrowserKey; // the browser's pre-auth cookie comes back with the proof
        failsWith(ErrorCode.WRONG_PASSWORD, () -> accounts.federation().completeLink(link.linkToken(), browserKey,
                strongPassword(), BROWSER));

        SignedIn in = accounts.federation().completeLink(link.linkToken(), browserKey, owner.password(), BROWSER);

        assertThat(in.user().id()).isEqualTo(owner.signedIn().user().id());
        assertThat(accounts.federation().identities(as(in))).hasSize(1);
        failsWith(ErrorCode.INVALID_LINK_TOKEN, () -> accounts.federation().completeLink(link.linkToken(),
                browserKey, owner.password(), BROWSER));
        assertThat(signedIn(oidcSignIn(subject, verified(owner.email()))).user().id())
                .isEqualTo(owner.signedIn().user().id());
        Mailbox.awaitNotices(t, owner.email(), "A sign-in provider was linked to your account", 1);
    }

    @Test
    void aVerifiedAccountMayBeProvedWithItsPasskeyInstead() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.passkey");
        Authenticated me = TestUsers.reauthenticated(accounts, owner);
        SoftAuthenticator browser = TestAccounts.authenticator();
        PasskeyOptions add = accounts.passkeys().registrationOptions(me);
        accounts.passkeys().add(me, add.ceremonyId(), browser.register(add.optionsJson()), "phone", BROWSER);
        TestUser stranger = TestUsers.signUpVerified(t, "fed.passkey.stranger");
        Authenticated other = TestUsers.reauthenticated(accounts, stranger);
        SoftAuthenticator strangers = TestAccounts.authenticator();
        PasskeyOptions theirs = accounts.passkeys().registrationOptions(other);
        accounts.passkeys().add(other, theirs.ceremonyId(), strangers.register(theirs.optionsJson()), "phone", BROWSER);
        CallbackOutcome.LinkRequired link = (CallbackOutcome.LinkRequired) oidcSignIn(subject(),
                verified(owner.email()));
        String browserKey = lastBrowserKey;

        PasskeyOptions wrong = accounts.passkeys().signInOptions(BROWSER);
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.federation().completeLinkWithPasskey(
                link.linkToken(), browserKey, wrong.ceremonyId(), strangers.assertion(wrong.optionsJson()), BROWSER));
        PasskeyOptions right = accounts.passkeys().signInOptions(BROWSER);
        SignedIn in = accounts.federation().completeLinkWithPasskey(link.linkToken(), browserKey, right.ceremonyId(),
                browser.assertion(right.optionsJson()), BROWSER);

        assertThat(in.user().id()).isEqualTo(owner.signedIn().user().id());
        assertThat(accounts.federation().identities(as(in))).hasSize(1);
        assertThat(accounts.federation().identities(other)).isEmpty();
    }

    @Test
    void aLinkTokenWorksOnlyInTheBrowserItWasGivenTo() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.otherbrowser");
        providers.nextOidcUser("oidc", subject(), verified(owner.email()));
        FederatedStart start = accounts.federation().start("oidc", null, BROWSER);
        CallbackOutcome.LinkRequired link = (CallbackOutcome.LinkRequired) accounts.federation().finish("oidc",
                providers.visit(start.authorizationUrl()), start.browserKey(), BROWSER);
        FederatedStart other = accounts.federation().start("oidc", null, BROWSER);

        failsWith(ErrorCode.INVALID_LINK_TOKEN, () -> accounts.federation().completeLink(link.linkToken(),
                other.browserKey(), owner.password(), BROWSER));
        failsWith(ErrorCode.INVALID_LINK_TOKEN, () -> accounts.federation().completeLink(link.linkToken(),
                null, owner.password(), BROWSER));

        assertThat(accounts.federation().completeLink(link.linkToken(), start.browserKey(), owner.password(),
                BROWSER).user().email()).isEqualTo(owner.email());
    }

    @Test
    void aHostMayLinkVerifiedAddressesAutomatically() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.auto");
        providers.nextOidcUser("auto", subject(), verified(owner.email()));

        SignedIn in = signedIn(signInWith("auto", null));

        assertThat(in.user().id()).isEqualTo(owner.signedIn().user().id());
        assertThat(in.user().hasPassword()).isTrue();
        assertThat(accounts.federation().identities(as(in))).singleElement()
                .satisfies(i -> assertThat(i.provider()).isEqualTo("auto"));
    }

    @Test
    void aSignedInUserLinksAnotherProviderAndKeepsTheSession() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.link");
        Authenticated me = TestUsers.reauthenticated(accounts, owner);
        providers.nextOidcUser("oidc", subject(), verified(uniqueEmail("fed.link.other")));
        FederatedStart start = accounts.federation().startLink(me, "oidc", "/settings", BROWSER);

        CallbackOutcome outcome = accounts.federation().finish("oidc", providers.visit(start.authorizationUrl()),
                start.browserKey(), BROWSER);

        assertThat(outcome).isInstanceOf(CallbackOutcome.Linked.class);
        assertThat(outcome.returnTo()).isEqualTo("/settings");
        assertThat(accounts.federation().identities(me)).singleElement()
                .satisfies(i -> assertThat(i.provider()).isEqualTo("oidc"));
        assertThat(accounts.sessions().authenticate(owner.session().sessionToken()).userId()).isEqualTo(me.userId());
        Mailbox.awaitNotices(t, owner.email(), "A sign-in provider was linked to your account", 1);
    }

    @Test
    void linkingNeedsAVerifiedEmailAndARecentProof() {
        TestUser unverified = TestUsers.signUp(accounts, "fed.link.unverified");
        failsWith(ErrorCode.EMAIL_NOT_VERIFIED, () -> accounts.federation().startLink(
                as(unverified.signedIn()), "oidc", null, BROWSER));
        TestUser verified = TestUsers.signUpVerified(t, "fed.link.stale");
        failsWith(ErrorCode.REAUTHENTICATION_REQUIRED, () -> accounts.federation().startLink(
                accounts.sessions().authenticate(verified.session().sessionToken()), "oidc", null, BROWSER));
    }

    @Test
    void gitHubSignsUpWithItsPrimaryVerifiedAddress() {
        String email = uniqueEmail("fed.github");
        providers.github.nextUser(new FakeGitHub.User(nextGitHubId(), "octo", "Mona Lisa Octocat", email,
                true));

        SignedIn in = signedIn(signInWith("github", "/"));

        assertThat(in.user().email()).isEqualTo(email);
        assertThat(in.user().fname()).isEqualTo("Mona");
        assertThat(in.user().lname()).isEqualTo("Lisa Octocat");
        assertThat(accounts.federation().identities(as(in))).singleElement()
                .satisfies(i -> assertThat(i.provider()).isEqualTo("github"));
    }

    @Test
    void gitHubsUnverifiedPrimaryAddressMakesNothing() {
        String email = uniqueEmail("fed.github.unverified");
        providers.github.nextUser(new FakeGitHub.User(nextGitHubId(), "octo", null, email, false));

        assertThat(signInWith("github", "/")).isEqualTo(new CallbackOutcome.Failed("/", "email_not_verified"));
        assertThat(users(email)).isZero();
    }

    @Test
    void theLastWayInCannotBeUnlinkedButAnotherCan() {
        SignedIn federated = signedIn(oidcSignIn(subject(), verified(uniqueEmail("fed.last"))));
        Authenticated me = as(federated);
        long only = accounts.federation().identities(me).get(0).id();

        failsWith(ErrorCode.LAST_SIGN_IN_METHOD, () -> accounts.federation().unlink(me, only, BROWSER));

        TestUser withPassword = TestUsers.signUpVerified(t, "fed.unlink");
        Authenticated owner = TestUsers.reauthenticated(accounts, withPassword);
        providers.nextOidcUser("oidc", subject(), verified(uniqueEmail("fed.unlink.other")));
        FederatedStart start = accounts.federation().startLink(owner, "oidc", null, BROWSER);
        accounts.federation().finish("oidc", providers.visit(start.authorizationUrl()), start.browserKey(), BROWSER);
        long linked = accounts.federation().identities(owner).get(0).id();
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.federation().unlink(me, linked, BROWSER));

        accounts.federation().unlink(owner, linked, BROWSER);

        assertThat(accounts.federation().identities(owner)).isEmpty();
        Mailbox.awaitNotices(t, withPassword.email(), "A sign-in provider was unlinked from your account", 1);
    }

    @Test
    void theDataExportListsTheLinkedIdentities() throws Exception {
        String email = uniqueEmail("fed.export");
        SignedIn in = signedIn(oidcSignIn(subject(), verified(email)));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        accounts.export().write(as(in), out);

        String json = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains("\"identities\" : [ {").contains("\"provider\" : \"oidc\"")
                .doesNotContain("sub-");
    }

    @Test
    void deletingTheAccountDeletesItsIdentities() {
        TestUser owner = TestUsers.signUpVerified(t, "fed.delete");
        Authenticated me = TestUsers.reauthenticated(accounts, owner);
        String subject = subject();
        providers.nextOidcUser("oidc", subject, verified(uniqueEmail("fed.delete.other")));
        FederatedStart start = accounts.federation().startLink(me, "oidc", null, BROWSER);
        accounts.federation().finish("oidc", providers.visit(start.authorizationUrl()), start.browserKey(), BROWSER);

        accounts.profile().deleteAccount(me, owner.password());

        assertThat(identities(subject)).isZero();
    }

    @Test
    void aHostOffersItsProvidersByIssuerUrl() {
        DataSource dataSource = t.dataSource; // not in the docs
        String googleClientId = "google-client-id"; // not in the docs
        String googleClientSecret = "google-client-secret"; // not in the docs
        String githubClientId = "github-client-id"; // not in the docs
        String githubClientSecret = "github-client-secret"; // not in the docs
        // --- docs snippet starts
        URI google = URI.create("https://accounts.google.com");
        google = providers.issuer("oidc"); // not in the docs
        Accounts accounts = Accounts.builder(dataSource)
                .throttleSecret(TestAccounts.THROTTLE_SECRET) // not in the docs
                .federation(FederationSettings.of(URI.create("https://example.com/accounts"), List.of(
                        Provider.oidc("google", "Google", google, googleClientId, googleClientSecret),
                        Provider.github(githubClientId, githubClientSecret))))
                .build();
        // --- docs snippet ends
        try (accounts) {
            assertThat(accounts.federation().providers()).containsExactly(new ProviderInfo("google", "Google"),
                    new ProviderInfo("github", "GitHub"));
        }
    }

    @Test
    void theProviderListIsTheHostsInItsOrder() {
        assertThat(accounts.federation().providers()).extracting(ProviderInfo::id)
                .containsExactly("oidc", "second", "auto", "github", "deadhub", "forged");
        failsWith(ErrorCode.UNKNOWN_PROVIDER, () -> accounts.federation().start("nope", null, BROWSER));
        failsWith(ErrorCode.UNKNOWN_PROVIDER, () -> accounts.federation().finish("nope", Map.of(), null, BROWSER));
    }
}
