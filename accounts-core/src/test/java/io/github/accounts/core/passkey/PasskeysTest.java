package io.github.accounts.core.passkey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.exception.Base64UrlException;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys against a software authenticator: registration and passwordless sign-in, and each way a ceremony or an
 * assertion is refused (wrong origin, wrong RP ID, replayed or expired ceremony, counter regression, another user's
 * credential), on H2 and PostgreSQL.
 */
@OnEachDatabase
class PasskeysTest extends StorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClientInfo PHONE = new ClientInfo("Phone/1.0", "198.51.100.7");

    private Authenticated signedIn(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    /** A new user with a verified email whose session just re-authenticated: ready to add a passkey. */
    private Authenticated ready(String hint) {
        return TestUsers.reauthenticated(accounts, TestUsers.signUpVerified(t, hint));
    }

    /** A new user holding one passkey on {@code authenticator}. */
    private Authenticated withPasskey(SoftAuthenticator authenticator, String hint) {
        Authenticated who = ready(hint);
        PasskeyOptions options = accounts.passkeys().registrationOptions(who);
        accounts.passkeys().add(who, options.ceremonyId(), authenticator.register(options.optionsJson()), null, PHONE);
        return who;
    }

    private SignedIn signInWith(SoftAuthenticator authenticator) {
        PasskeyOptions options = accounts.passkeys().signInOptions(PHONE);
        return accounts.passkeys().signIn(options.ceremonyId(), authenticator.assertion(options.optionsJson()), PHONE);
    }

    private List<AccountEvent> events(Authenticated who) {
        return accounts.events().page(who, null, 20).events();
    }

    /** The user's random handle, as stored. */
    private ByteArray storedHandle(Authenticated who) {
        try {
            return ByteArray.fromBase64Url(DatabaseRows.one(t.dataSource,
                    "select user_handle from passkey_user_handles where user_id = ?", who.userId()).get("user_handle"));
        } catch (Base64UrlException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void registrationOptionsAreLevel3JsonAskingForAResidentKey() throws Exception {
        Authenticated who = ready("options");
        JsonNode options = json(accounts.passkeys().registrationOptions(who).optionsJson());

        assertThat(options.has("publicKey")).isFalse();
        assertThat(options.path("challenge").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(options.path("rp").path("id").asText()).isEqualTo("accounts.test");
        assertThat(options.path("user").path("name").asText()).isEqualTo(who.user().email());
        assertThat(options.path("user").path("id").asText()).matches("[A-Za-z0-9_-]+");
        assertThat(options.path("authenticatorSelection").path("residentKey").asText()).isEqualTo("required");
        assertThat(options.path("authenticatorSelection").path("userVerification").asText()).isEqualTo("preferred");
        assertThat(options.path("pubKeyCredParams").findValuesAsText("alg")).contains("-7");
        assertThat(options.path("timeout").asLong()).isEqualTo(300_000);
    }

    @Test
    void aRegisteredPasskeySignsInAloneAndIsListed() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = withPasskey(authenticator, "passwordless");

        SignedIn in = signInWith(authenticator);

        assertThat(in.user().id()).isEqualTo(who.userId());
        assertThat(accounts.sessions().authenticate(in.session().sessionToken()).userId()).isEqualTo(who.userId());
        List<PasskeyInfo> listed = accounts.passkeys().list(who);
        assertThat(listed).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("Passkey");
            assertThat(p.transports()).containsExactly("internal");
            assertThat(p.lastUsedAt()).isNotNull();
        });
        assertThat(events(who)).extracting(AccountEvent::type)
                .startsWith(AccountEvent.SIGNED_IN, AccountEvent.PASSKEY_ADDED);
        assertThat(events(who).get(0).detail()).containsEntry("method", "passkey")
                .containsEntry("passkey_id", listed.get(0).id());
        assertThat(events(who).get(0).sessionId()).isEqualTo(in.session().id());
    }

    @Test
    void registrationOptionsExcludeTheUsersPasskeys() throws Exception {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = withPasskey(authenticator, "exclude");

        JsonNode options = json(accounts.passkeys().registrationOptions(who).optionsJson());

        assertThat(options.path("excludeCredentials").findValuesAsText("id")).containsExactly(authenticator.last().id());
    }

    @Test
    void aRegistrationFromAnotherOriginOrForAnotherRpIdDoesNotVerify() {
        Authenticated who = ready("phished");
        SoftAuthenticator phishing = new SoftAuthenticator("https://accounts.test.evil.example", "accounts.test");
        SoftAuthenticator wrongRp = new SoftAuthenticator("https://accounts.test", "evil.example");

        for (SoftAuthenticator a : List.of(phishing, wrongRp)) {
            PasskeyOptions options = accounts.passkeys().registrationOptions(who);
            failsWith(ErrorCode.INVALID_WEBAUTHN_RESPONSE, () -> accounts.passkeys().add(who, options.ceremonyId(),
                    a.register(options.optionsJson()), null, PHONE));
        }
        assertThat(accounts.passkeys().list(who)).isEmpty();
    }

    @Test
    void aSignatureThatIsNotEvenDerIsInvalidCredentials() throws Exception {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        withPasskey(authenticator, "garbled");
        PasskeyOptions options = accounts.passkeys().signInOptions(PHONE);
        com.fasterxml.jackson.databind.node.ObjectNode garbled =
                (com.fasterxml.jackson.databind.node.ObjectNode) json(authenticator.assertion(options.optionsJson()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) garbled.path("response")).put("signature", "AAAA");

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.passkeys().signIn(options.ceremonyId(),
                garbled.toString(), PHONE));
    }

    @Test
    void anAssertionFromAnotherOriginOrForAnotherRpIdIsInvalidCredentials() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        withPasskey(authenticator, "wrong-origin");

        authenticator.origin = "https://evil.example";
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));
        authenticator.origin = "https://accounts.test";
        authenticator.rpId = "evil.example";
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));
        authenticator.rpId = "accounts.test";
        assertThat(signInWith(authenticator).session()).isNotNull();
    }

    @Test
    void aPasswordlessSignInWithoutUserVerificationIsInvalidCredentials() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        withPasskey(authenticator, "no-pin");

        authenticator.userVerifies = false; // possession alone: one factor, not the passkey sign-in's two
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));
        authenticator.userVerifies = true;
        assertThat(signInWith(authenticator).session()).isNotNull();
    }

    @Test
    void aCeremonyWorksOnceForRegistrationAndForSignIn() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = ready("replay");
        PasskeyOptions registration = accounts.passkeys().registrationOptions(who);
        String created = authenticator.register(registration.optionsJson());
        accounts.passkeys().add(who, registration.ceremonyId(), created, null, PHONE);
        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.passkeys().add(who, registration.ceremonyId(), created,
                null, PHONE));

        PasskeyOptions signIn = accounts.passkeys().signInOptions(PHONE);
        String assertion = authenticator.assertion(signIn.optionsJson());
        accounts.passkeys().signIn(signIn.ceremonyId(), assertion, PHONE);
        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.passkeys().signIn(signIn.ceremonyId(), assertion, PHONE));
    }

    @Test
    void anAssertionAnsweringAnotherCeremonysChallengeIsRefused() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        withPasskey(authenticator, "challenge");
        PasskeyOptions answered = accounts.passkeys().signInOptions(PHONE);
        PasskeyOptions presented = accounts.passkeys().signInOptions(PHONE);

        String assertion = authenticator.assertion(answered.optionsJson());

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> accounts.passkeys().signIn(presented.ceremonyId(), assertion,
                PHONE));
    }

    @Test
    void aCeremonyOfTheOtherKindOrUnknownIsInvalidCeremony() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = withPasskey(authenticator, "kinds");
        PasskeyOptions registration = accounts.passkeys().registrationOptions(who);

        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.passkeys().signIn(registration.ceremonyId(),
                authenticator.assertion(registration.optionsJson()), PHONE));
        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.passkeys().signIn("no-such-ceremony", "{}", PHONE));
        failsValidation(() -> accounts.passkeys().signIn(null, null, PHONE), "ceremony_id", "required");
    }

    @Test
    void aCeremonyExpiresAfterFiveMinutesAndIsPurged() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        withPasskey(authenticator, "expired");
        PasskeyOptions options = accounts.passkeys().signInOptions(PHONE);
        String digest = DatabaseRows.sha256(options.ceremonyId());
        assertThat(DatabaseRows.query(t.dataSource, "select id from passkey_ceremonies where ceremony_digest = ?",
                digest)).hasSize(1);

        t.clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.passkeys().signIn(options.ceremonyId(),
                authenticator.assertion(options.optionsJson()), PHONE));
        PasskeyOptions stale = accounts.passkeys().signInOptions(PHONE);
        t.clock.advance(Duration.ofMinutes(6));
        accounts.purgeExpired();
        assertThat(DatabaseRows.query(t.dataSource, "select id from passkey_ceremonies where ceremony_digest = ?",
                DatabaseRows.sha256(stale.ceremonyId()))).isEmpty();
    }

    @Test
    void aCounterThatWentBackIsRefusedAndRecorded() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = withPasskey(authenticator, "cloned");
        signInWith(authenticator);
        signInWith(authenticator); // the stored counter is 2 now
        authenticator.last().counter = 1; // a clone that lags behind

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));

        AccountEvent recorded = events(who).get(0);
        assertThat(recorded.type()).isEqualTo(AccountEvent.SIGN_IN_FAILED);
        assertThat(recorded.detail()).containsEntry("method", "passkey").containsEntry("reason", "counter_regressed");
    }

    @Test
    void anAssertionNamingAnotherUsersHandleFindsNoCredential() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated victim = withPasskey(TestAccounts.authenticator(), "victim");
        withPasskey(authenticator, "attacker");
        // the attacker's own, valid signature, claiming to be the victim's user handle (the random one, then the legacy)
        authenticator.last().userHandle = storedHandle(victim).getBytes();
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));
        authenticator.last().userHandle = CredentialTable.handle(victim.userId()).getBytes();
        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));
    }

    @Test
    void anotherUsersRegistrationCeremonyIsInvalidCeremony() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated alice = ready("alice");
        Authenticated mallory = ready("mallory");
        PasskeyOptions options = accounts.passkeys().registrationOptions(alice);

        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.passkeys().add(mallory, options.ceremonyId(),
                authenticator.register(options.optionsJson()), null, PHONE));
        assertThat(accounts.passkeys().list(mallory)).isEmpty();
    }

    @Test
    void aCredentialRegisteredAlreadyIsRefusedForItsOwnerAndForAnyoneElse() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated owner = withPasskey(authenticator, "twice");
        Authenticated other = ready("copycat");

        for (Authenticated who : List.of(owner, other)) {
            PasskeyOptions again = accounts.passkeys().registrationOptions(who);
            failsWith(ErrorCode.INVALID_WEBAUTHN_RESPONSE, () -> accounts.passkeys().add(who, again.ceremonyId(),
                    authenticator.attest(authenticator.last(), again.optionsJson()), null, PHONE));
        }
        assertThat(accounts.passkeys().list(owner)).hasSize(1);
        assertThat(accounts.passkeys().list(other)).isEmpty();
    }

    @Test
    void passkeysAreRenamedAndRemovedByTheirOwnerOnly() {
        Authenticated owner = withPasskey(TestAccounts.authenticator(), "owner");
        Authenticated other = ready("other");
        long id = accounts.passkeys().list(owner).get(0).id();

        assertThat(accounts.passkeys().rename(owner, id, "  Work laptop ").name()).isEqualTo("Work laptop");
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.passkeys().rename(other, id, "Mine"));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.passkeys().remove(other, id, PHONE));
        failsValidation(() -> accounts.passkeys().rename(owner, id, " "), "name", "required");
        accounts.passkeys().remove(owner, id, PHONE);

        assertThat(accounts.passkeys().list(owner)).isEmpty();
        assertThat(events(owner).get(0).type()).isEqualTo(AccountEvent.PASSKEY_REMOVED);
        assertThat(events(owner).get(0).detail()).isEqualTo(Map.of("passkey_id", id));
        failsWith(ErrorCode.NOT_FOUND, () -> accounts.passkeys().remove(owner, id, PHONE));
    }

    @Test
    void aRemovedPasskeyNoLongerSignsIn() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = withPasskey(authenticator, "removed");
        accounts.passkeys().remove(who, accounts.passkeys().list(who).get(0).id(), PHONE);

        failsWith(ErrorCode.INVALID_CREDENTIALS, () -> signInWith(authenticator));
    }

    @Test
    void aDisabledAccountsPasskeyIsAccountDisabled() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        Authenticated who = withPasskey(authenticator, "disabled");
        Authenticated operator = ready("operator");
        accounts.operators().disableUser(operator, who.userId(), null);

        failsWith(ErrorCode.ACCOUNT_DISABLED, () -> signInWith(authenticator));
    }

    @Test
    void signInOptionsAreLimitedPerClientAddress() {
        ClientInfo busy = new ClientInfo("Bot/1.0", "203.0.113.99");
        for (int i = 0; i < 30; i++) {
            accounts.passkeys().signInOptions(busy);
        }

        failsWith(ErrorCode.THROTTLED, () -> accounts.passkeys().signInOptions(busy));
        assertThat(accounts.passkeys().signInOptions(new ClientInfo("Phone/1.0", "203.0.113.100"))).isNotNull();
    }

    @Test
    void aCeremonyBegunOnOneInstanceFinishesOnAnother() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        try (Accounts other = Accounts.builder(t.emf).config(config()).clock(t.clock)
                .throttleSecret(TestAccounts.THROTTLE_SECRET).passkeys(TestAccounts.PASSKEYS).build()) {
            Authenticated who = ready("instances");
            PasskeyOptions registration = accounts.passkeys().registrationOptions(who);
            other.passkeys().add(who, registration.ceremonyId(), authenticator.register(registration.optionsJson()), null,
                    PHONE);

            PasskeyOptions signIn = other.passkeys().signInOptions(PHONE);
            SignedIn in = accounts.passkeys().signIn(signIn.ceremonyId(),
                    authenticator.assertion(signIn.optionsJson()), PHONE);
            assertThat(in.user().id()).isEqualTo(who.userId());
        }
    }

    @Test
    void theCeremonyIdIsStoredOnlyAsADigest() {
        Authenticated who = ready("digest");
        PasskeyOptions options = accounts.passkeys().registrationOptions(who);

        assertThat(DatabaseRows.everyStoredValue(t.dataSource)).noneMatch(v -> v.contains(options.ceremonyId()));
    }

    @Test
    void aNewPasskeysUserHandleIs64RandomBytesWithoutTheUserIdAndAnOldIdHandlePasskeyStillSignsIn() {
        // A passkey registered before random handles: its handle is the user id as 8 bytes.
        SoftAuthenticator old = TestAccounts.authenticator();
        Authenticated veteran = withPasskey(old, "legacy.handle");
        DatabaseRows.update(t.dataSource, "delete from passkey_user_handles where user_id = ?", veteran.userId());
        old.last().userHandle = CredentialTable.handle(veteran.userId()).getBytes();

        SoftAuthenticator phone = TestAccounts.authenticator();
        PasskeyOptions options = accounts.passkeys().registrationOptions(veteran);
        accounts.passkeys().add(veteran, options.ceremonyId(), phone.register(options.optionsJson()), "Phone", PHONE);

        byte[] handle = phone.last().userHandle;
        assertThat(handle).hasSize(64).isEqualTo(storedHandle(veteran).getBytes());
        byte[] id = CredentialTable.handle(veteran.userId()).getBytes();
        for (int at = 0; at + id.length <= handle.length; at++) {
            assertThat(Arrays.copyOfRange(handle, at, at + id.length)).isNotEqualTo(id);
        }
        Authenticated other = withPasskey(TestAccounts.authenticator(), "random.handle.other");
        assertThat(storedHandle(other).getBytes()).hasSize(64).isNotEqualTo(handle);
        assertThat(signInWith(phone).user().id()).isEqualTo(veteran.userId());
        assertThat(signInWith(old).user().id()).isEqualTo(veteran.userId());
    }
}
