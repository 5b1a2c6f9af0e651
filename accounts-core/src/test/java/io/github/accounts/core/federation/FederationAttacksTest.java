package io.github.accounts.core.federation;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.FakeGitHub;
import io.github.accounts.core.testing.ForgingProvider;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestProviders;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks on federated sign-in, each written as the attacker plays it, then checked to have made, linked and
 * signed in nothing: replayed or unbound state, mix-ups between providers, forged or foreign ID tokens, unverified
 * addresses, identities of other accounts, open redirects, and providers that fail. On H2 and PostgreSQL.
 */
@OnEachDatabase
class FederationAttacksTest extends FederationFixture {
    private static final Failed INVALID_STATE = new Failed("/", "invalid_state");

    private record Failed(String returnTo, String error) {
    }

    private static Failed failed(CallbackOutcome outcome) {
        assertThat(outcome).isInstanceOf(CallbackOutcome.Failed.class);
        CallbackOutcome.Failed f = (CallbackOutcome.Failed) outcome;
        return new Failed(f.returnTo(), f.error());
    }

    /** A flow begun and taken through the provider: the start, and the callback's parameters. */
    private record Round(FederatedStart start, Map<String, List<String>> callback) {
    }

    /**
     * A flow begun and taken through the provider; no token is asked for yet (the mock server hands out the user
     * queued with {@link TestProviders#nextOidcUser} at the token endpoint, so only a flow that gets there queues one).
     */
    private Round round(String provider) {
        FederatedStart start = accounts.federation().start(provider, null, BROWSER);
        return new Round(start, providers.visit(start.authorizationUrl()));
    }

    private CallbackOutcome finish(String provider, Map<String, List<String>> callback, String browserKey) {
        return accounts.federation().finish(provider, callback, browserKey, BROWSER);
    }

    private long rows(String table) {
        return Long.parseLong(DatabaseRows.query(t.dataSource, "select count(*) as n from " + table).get(0).get("n"));
    }

    @Test
    void aReplayedStateIsRefusedAndMakesNoSecondSession() {
        String email = uniqueEmail("attack.replay");
        Round round = round("oidc");
        providers.nextOidcUser("oidc", subject(), verified(email));
        SignedIn first = signedIn(finish("oidc", round.callback(), round.start().browserKey()));
        long sessions = accounts.sessions().list(as(first)).size();

        CallbackOutcome replayed = finish("oidc", round.callback(), round.start().browserKey());

        assertThat(failed(replayed)).isEqualTo(INVALID_STATE);
        assertThat(accounts.sessions().list(as(first))).hasSize((int) sessions);
    }

    @Test
    void aCallbackWithoutThePreAuthCookieIsRefusedAndUsesTheFlowUp() {
        String email = uniqueEmail("attack.nocookie");
        Round round = round("oidc");

        assertThat(failed(finish("oidc", round.callback(), null))).isEqualTo(INVALID_STATE);

        assertThat(failed(finish("oidc", round.callback(), round.start().browserKey()))).isEqualTo(INVALID_STATE);
        assertThat(users(email)).isZero();
    }

    @Test
    void aCallbackCarryingTheCookieOfAnotherFlowIsRefused() {
        // the attacker runs a flow for his own account and plants its callback in the victim's browser (login CSRF)
        String attackerEmail = uniqueEmail("attack.csrf");
        Round attackers = round("oidc");
        FederatedStart victims = accounts.federation().start("oidc", null, BROWSER);

        CallbackOutcome outcome = finish("oidc", attackers.callback(), victims.browserKey());

        assertThat(failed(outcome)).isEqualTo(INVALID_STATE);
        assertThat(users(attackerEmail)).isZero();
    }

    @Test
    void anIdTokenWithAnotherNonceIsRefused() {
        String email = uniqueEmail("attack.nonce");
        providers.nextOidcUser("oidc", subject(), verified(email));
        FederatedStart start = accounts.federation().start("oidc", null, BROWSER);
        // the code is obtained with another nonce than the flow's (an injected code of another session)
        String tampered = start.authorizationUrl().replaceFirst("nonce=[^&]+", "nonce=the-attackers-nonce");

        CallbackOutcome outcome = finish("oidc", providers.visit(tampered), start.browserKey());

        assertThat(failed(outcome)).isEqualTo(new Failed("/", "provider_error"));
        assertThat(users(email)).isZero();
    }

    @Test
    void aFailureIsAWarnLineWithoutTheFlowsCodesOrTokens() {
        Round noCookie = round("oidc");
        providers.nextOidcUser("oidc", subject(), verified(uniqueEmail("attack.log")));
        FederatedStart start = accounts.federation().start("oidc", null, BROWSER);
        String tampered = start.authorizationUrl().replaceFirst("nonce=[^&]+", "nonce=the-attackers-nonce");
        Map<String, List<String>> badNonce = providers.visit(tampered);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            finish("oidc", noCookie.callback(), null);
            finish("oidc", badNonce, start.browserKey());
        } finally {
            System.setErr(err);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("invalid_state"))
                .anySatisfy(l -> assertThat(l).contains("provider_error").contains("nonce"));
        for (Map<String, List<String>> callback : List.of(noCookie.callback(), badNonce)) {
            assertThat(log).doesNotContain(callback.get("code").get(0)).doesNotContain(callback.get("state").get(0));
        }
        assertThat(log).doesNotContain(start.browserKey()).doesNotContain("the-attackers-nonce");
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() {
        String email = uniqueEmail("attack.aud");

        // signed by the provider itself, but for another of its clients (the token a site using it could replay)
        CallbackOutcome outcome = withForgedIdToken(email, claims -> providers.forging.sign(
                new JWTClaimsSet.Builder(claims).audience("another-client").build()));

        assertThat(failed(outcome)).isEqualTo(new Failed("/", "provider_error"));
        assertThat(users(email)).isZero();
    }

    @Test
    void anExpiredIdTokenIsRefused() {
        String email = uniqueEmail("attack.expired");
        providers.nextOidcToken("oidc", subject(), List.of(TestProviders.CLIENT_ID), verified(email), -600);

        assertThat(failed(signInWith("oidc", null))).isEqualTo(new Failed("/", "provider_error"));
        assertThat(users(email)).isZero();
    }

    @Test
    void theForgingProvidersOwnGenuineTokenIsAccepted() { // so the refusals around it are the forgeries'
        String email = uniqueEmail("attack.genuine");

        assertThat(signedIn(withForgedIdToken(email, providers.forging::sign)).user().email()).isEqualTo(email);
    }

    @Test
    void anUnsignedIdTokenIsRefused() {
        String email = uniqueEmail("attack.none");

        CallbackOutcome outcome = withForgedIdToken(email, claims -> new PlainJWT(claims).serialize());

        assertThat(failed(outcome)).isEqualTo(new Failed("/", "provider_error"));
        assertThat(users(email)).isZero();
    }

    @Test
    void anIdTokenSignedWithHmacUnderThePublicKeyIsRefused() {
        String email = uniqueEmail("attack.hmac");

        CallbackOutcome outcome = withForgedIdToken(email, claims -> {
            try {
                RSAKey published = providers.forging.publishedKey();
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(published.getKeyID()).build(), claims);
                jwt.sign(new MACSigner(published.toPublicKey().getEncoded()));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(failed(outcome)).isEqualTo(new Failed("/", "provider_error"));
        assertThat(users(email)).isZero();
    }

    /**
     * A flow whose token endpoint answers with a forged ID token: every claim right (issuer, audience, the flow's
     * nonce, times), only the signature made by {@code forge}.
     */
    private CallbackOutcome withForgedIdToken(String email, Function<JWTClaimsSet, String> forge) {
        providers.forging.forge(nonce -> {
            Instant now = Instant.now();
            return forge.apply(new JWTClaimsSet.Builder().issuer(providers.forging.issuer().toString())
                    .subject(subject()).audience(ForgingProvider.CLIENT_ID).issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(600))).claim("nonce", nonce).claim("email", email)
                    .claim("email_verified", true).build());
        });
        FederatedStart start = accounts.federation().start("forged", null, BROWSER);
        return finish("forged", providers.visit(start.authorizationUrl()), start.browserKey());
    }

    @Test
    void anIssResponseParameterOfAnotherProviderIsRefused() {
        String email = uniqueEmail("attack.mixup");
        Round round = round("oidc");
        Map<String, List<String>> mixedUp = new LinkedHashMap<>(round.callback());
        mixedUp.put("iss", List.of(providers.issuer("second").toString()));

        assertThat(failed(finish("oidc", mixedUp, round.start().browserKey())))
                .isEqualTo(new Failed("/", "provider_error"));
        assertThat(users(email)).isZero();
    }

    @Test
    void theCodeOfOneProviderSentToAnothersCallbackIsRefusedAndBurnsTheFlow() {
        String email = uniqueEmail("attack.crossed");
        Round round = round("oidc");

        assertThat(failed(finish("auto", round.callback(), round.start().browserKey()))).isEqualTo(INVALID_STATE);

        assertThat(failed(finish("oidc", round.callback(), round.start().browserKey()))).isEqualTo(INVALID_STATE);
        assertThat(users(email)).isZero();
    }

    @Test
    void emailVerifiedAsTheStringTrueIsNotVerified() {
        String email = uniqueEmail("attack.string");
        providers.nextOidcUser("oidc", subject(), Map.of("email", email, "email_verified", "true"));

        assertThat(failed(signInWith("oidc", null))).isEqualTo(new Failed("/", "email_not_verified"));
        assertThat(users(email)).isZero();
    }

    @Test
    void anUnverifiedProviderAddressMeetingAnUnverifiedAccountClaimsNothing() {
        String email = uniqueEmail("attack.unverified");
        SignedIn owner = accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, strongPassword()), BROWSER);
        String subject = subject();
        providers.nextOidcUser("oidc", subject, Map.of("email", email, "email_verified", false));

        assertThat(failed(signInWith("oidc", null))).isEqualTo(new Failed("/", "email_not_verified"));

        assertThat(as(owner).user().emailVerified()).as("the owner's session lives on, nothing claimed").isFalse();
        assertThat(identities(subject)).isZero();
    }

    @Test
    void anUnverifiedProviderAddressMeetingAVerifiedAccountOffersNoLink() {
        TestUser owner = TestUsers.signUpVerified(t, "attack.unverified.verified");
        String subject = subject();
        providers.nextOidcUser("oidc", subject, Map.of("email", owner.email()));
        long links = rows("federation_links");

        assertThat(failed(signInWith("oidc", null))).isEqualTo(new Failed("/", "email_not_verified"));

        assertThat(rows("federation_links")).isEqualTo(links);
        assertThat(identities(subject)).isZero();
    }

    @Test
    void linkingAnIdentityThatBelongsToAnotherAccountIsRefused() {
        String subject = subject();
        SignedIn victim = signedIn(oidcSignIn(subject, verified(uniqueEmail("attack.victim"))));
        TestUser attacker = TestUsers.signUpVerified(t, "attack.taker");
        Authenticated me = TestUsers.reauthenticated(accounts, attacker);
        providers.nextOidcUser("oidc", subject, verified(uniqueEmail("attack.whatever")));
        FederatedStart start = accounts.federation().startLink(me, "oidc", "/settings", BROWSER);

        CallbackOutcome outcome = finish("oidc", providers.visit(start.authorizationUrl()), start.browserKey());

        assertThat(failed(outcome)).isEqualTo(new Failed("/settings", "identity_taken"));
        assertThat(accounts.federation().identities(me)).isEmpty();
        assertThat(accounts.federation().identities(as(victim))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)",
            "%2F%2Fevil.example", "/%2Fevil.example", "/%5Cevil.example", "%252F%252Fevil.example",
            "/%09/evil.example", "/\t/evil.example", "https:%2F%2Fevil.example", "evil.example", ""})
    void aReturnToOffThisSiteIsRefusedBeforeAnyFlowBegins(String returnTo) {
        long flows = rows("federation_flows");

        failsWith(ErrorCode.INVALID_RETURN_TO, () -> accounts.federation().start("oidc", returnTo, BROWSER));

        assertThat(rows("federation_flows")).isEqualTo(flows);
    }

    @Test
    void aReturnToOnThisSiteIsKept() {
        assertThat(ReturnTo.check("/settings?tab=identities#top")).isEqualTo("/settings?tab=identities#top");
        assertThat(ReturnTo.check("/a%20b")).isEqualTo("/a%20b");
        assertThat(ReturnTo.check(null)).isEqualTo("/");
    }

    @Test
    void repeatedOrHugeCallbackParametersAreAnInvalidState() {
        String email = uniqueEmail("attack.params");
        Round round = round("oidc");
        Map<String, List<String>> repeated = new LinkedHashMap<>(round.callback());
        repeated.put("code", List.of(repeated.get("code").get(0), "another"));
        Map<String, List<String>> huge = new LinkedHashMap<>(round.callback());
        huge.put("code", List.of("x".repeat(100_000)));

        assertThat(failed(finish("oidc", repeated, round.start().browserKey()))).isEqualTo(INVALID_STATE);
        assertThat(failed(finish("oidc", huge, round.start().browserKey()))).isEqualTo(INVALID_STATE);
        assertThat(users(email)).isZero();
    }

    @Test
    void aFlowPastItsTenMinutesIsAnInvalidState() {
        String email = uniqueEmail("attack.late");
        Round round = round("oidc");

        t.clock.advance(Duration.ofMinutes(11));

        assertThat(failed(finish("oidc", round.callback(), round.start().browserKey()))).isEqualTo(INVALID_STATE);
        assertThat(users(email)).isZero();
    }

    @Test
    void theUserCancellingAtTheProviderIsAccessDenied() {
        FederatedStart start = accounts.federation().start("oidc", "/back", BROWSER);
        String state = TestProviders.query(URI.create(start.authorizationUrl()).getRawQuery()).get("state").get(0);

        CallbackOutcome outcome = finish("oidc", Map.of("error", List.of("access_denied"), "state", List.of(state)),
                start.browserKey());

        assertThat(failed(outcome)).isEqualTo(new Failed("/back", "access_denied"));
    }

    @Test
    void anUnreachableProviderIsAProviderErrorAndMakesNothing() {
        FederatedStart start = accounts.federation().start("deadhub", null, BROWSER);
        String state = TestProviders.query(URI.create(start.authorizationUrl()).getRawQuery()).get("state").get(0);
        long users = rows("users");

        CallbackOutcome outcome = finish("deadhub", Map.of("code", List.of("c"), "state", List.of(state)),
                start.browserKey());

        assertThat(failed(outcome)).isEqualTo(new Failed("/", "provider_error"));
        assertThat(rows("users")).isEqualTo(users);
    }

    @Test
    void aProviderSlowerThanTheTimeoutIsAProviderErrorAndMakesNothing() {
        String email = uniqueEmail("attack.slow");
        providers.github.nextUser(new FakeGitHub.User(nextGitHubId(), "slow", null, email, true));
        providers.github.delayTokens(Duration.ofSeconds(3)); // the settings give a provider 2 s
        try {
            assertThat(failed(signInWith("github", null))).isEqualTo(new Failed("/", "provider_error"));
        } finally {
            providers.github.delayTokens(Duration.ZERO);
        }
        assertThat(users(email)).isZero();
    }
}
