package io.github.accounts.core.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.mfa.Totp;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.MfaRequired;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.SoftAuthenticator;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A passkey as the second step of a password sign-in: offered when the user has one, options naming only their
 * passkeys, and each way an assertion there fails (another user's passkey, a bad signature, a ceremony of another
 * kind, a counter that went back) counted as a wrong code, on H2 and PostgreSQL.
 */
@OnEachDatabase
class SecondStepPasskeyTest extends StorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ClientInfo PHONE = new ClientInfo("phone/1.0", "203.0.113.18");

    private Authenticated me(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    /** A user with TOTP on and one passkey on {@code authenticator}. */
    private TestUser enrolled(String hint, SoftAuthenticator authenticator) {
        TestUser user = TestUsers.signUpVerified(t, hint);
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(me(user), user.password()).secret());
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        accounts.mfa().confirmTotp(me(user), Totp.code(secret, Totp.step(t.clock.instant())));
        addPasskey(user, authenticator);
        return user;
    }

    private void addPasskey(TestUser user, SoftAuthenticator authenticator) {
        Authenticated who = TestUsers.reauthenticated(accounts, user);
        PasskeyOptions options = accounts.passkeys().registrationOptions(who);
        accounts.passkeys().add(who, options.ceremonyId(), authenticator.register(options.optionsJson()), null,
                PHONE);
    }

    private MfaRequired passwordStep(TestUser user) {
        SignedIn first = accounts.signIns().signIn(user.email(), user.password(), PHONE);
        assertThat(first.needsSecondFactor()).isTrue();
        return first.mfaRequired();
    }

    private SignedIn complete(MfaRequired step, SoftAuthenticator authenticator) {
        PasskeyOptions options = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        return accounts.signIns().completeSignInWithPasskey(step.mfaToken(), options.ceremonyId(),
                authenticator.assertion(options.optionsJson()), PHONE);
    }

    private List<AccountEvent> events(TestUser user) {
        return accounts.events().page(me(user), null, 20).events();
    }

    @Test
    void aUserWithAPasskeyIsOfferedItAndItCompletesTheSignIn() throws Exception {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        TestUser user = enrolled("pk2.signin", authenticator);
        MfaRequired step = passwordStep(user);
        assertThat(step.methods()).containsExactly("totp", "recovery_code", "passkey");

        PasskeyOptions options = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        JsonNode json = JSON.readTree(options.optionsJson());
        assertThat(json.path("allowCredentials").findValuesAsText("id")).containsExactly(authenticator.last().id());
        assertThat(json.path("rpId").asText()).isEqualTo("accounts.test");
        SignedIn done = accounts.signIns().completeSignInWithPasskey(step.mfaToken(), options.ceremonyId(),
                authenticator.assertion(options.optionsJson()), PHONE);

        assertThat(accounts.sessions().authenticate(done.session().sessionToken()).userId()).isEqualTo(user.id());
        AccountEvent signedIn = events(user).stream().filter(e -> e.type().equals(AccountEvent.SIGNED_IN))
                .findFirst().orElseThrow();
        assertThat(signedIn.detail()).containsEntry("mfa", "passkey");
        assertThat(DatabaseRows.query(t.dataSource, "select signature_count from passkey_credentials where user_id = ?",
                user.id())).extracting(r -> r.get("signature_count")).containsExactly("1");
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> complete(step, authenticator)); // the token is spent
    }

    @Test
    void aDeadTokenGetsNoOptionsAndAnUnknownCeremonyIsInvalidCeremony() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        TestUser user = enrolled("pk2.dead", authenticator);
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().secondStepPasskeyOptions("not-a-token"));
        failsValidation(() -> accounts.signIns().secondStepPasskeyOptions(null), "mfa_token", "required");
        MfaRequired step = passwordStep(user);
        PasskeyOptions options = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        String credential = authenticator.assertion(options.optionsJson());

        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(),
                "x".repeat(43), credential, PHONE));
        failsValidation(() -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(), null, null, PHONE),
                "ceremony_id", "required", "credential", "required");
        assertThat(accounts.signIns().completeSignInWithPasskey(step.mfaToken(), options.ceremonyId(), credential, PHONE)
                .session()).isNotNull();
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().secondStepPasskeyOptions(step.mfaToken()));

        MfaRequired late = passwordStep(user);
        PasskeyOptions expiring = accounts.signIns().secondStepPasskeyOptions(late.mfaToken());
        String answer = authenticator.assertion(expiring.optionsJson());
        t.clock.advance(Duration.ofMinutes(5));
        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().completeSignInWithPasskey(late.mfaToken(),
                expiring.ceremonyId(), answer, PHONE));
    }

    @Test
    void aCeremonyBegunForOneMfaTokenDoesNotCompleteAnotherOfTheSameUser() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        TestUser user = enrolled("pk2.bound", authenticator);
        MfaRequired a = passwordStep(user);
        MfaRequired b = passwordStep(user);
        PasskeyOptions options = accounts.signIns().secondStepPasskeyOptions(a.mfaToken());
        String credential = authenticator.assertion(options.optionsJson());

        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignInWithPasskey(b.mfaToken(),
                options.ceremonyId(), credential, PHONE)); // a failed assertion of b's step, which it used up
        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.signIns().completeSignInWithPasskey(a.mfaToken(),
                options.ceremonyId(), credential, PHONE));
        assertThat(complete(a, authenticator).session()).isNotNull();
        assertThat(events(user).stream().filter(e -> e.type().equals(AccountEvent.SIGN_IN_FAILED))).hasSize(1);
    }

    @Test
    void anMfaTokenHoldsOneLiveCeremonyAndANewOneReplacesTheEarlier() {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        TestUser user = enrolled("pk2.bounded", authenticator);
        MfaRequired step = passwordStep(user);
        PasskeyOptions first = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        PasskeyOptions last = first;
        for (int i = 0; i < 5; i++) {
            last = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        }
        assertThat(DatabaseRows.query(t.dataSource, "select id from passkey_ceremonies where user_id = ?",
                user.id())).hasSize(1);

        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(),
                first.ceremonyId(), authenticator.assertion(first.optionsJson()), PHONE));
        PasskeyOptions live = last;
        assertThat(accounts.signIns().completeSignInWithPasskey(step.mfaToken(), live.ceremonyId(),
                authenticator.assertion(live.optionsJson()), PHONE).session()).isNotNull();
    }

    @Test
    void anotherUsersPasskeyIsAWrongCodeAndFiveOfThemKillTheToken() {
        TestUser victim = enrolled("pk2.victim", TestAccounts.authenticator());
        SoftAuthenticator attacker = TestAccounts.authenticator();
        addPasskey(TestUsers.signUpVerified(t, "pk2.attacker"), attacker);
        MfaRequired step = passwordStep(victim);

        for (int i = 0; i < 4; i++) {
            failsWith(ErrorCode.INVALID_MFA_CODE, () -> complete(step, attacker));
        }
        // the attacker's valid signature claiming the victim's user handle fares no better
        attacker.last().userHandle = java.nio.ByteBuffer.allocate(8).putLong(victim.id()).array();
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> complete(step, attacker));

        failsWith(ErrorCode.INVALID_MFA_TOKEN, () -> accounts.signIns().secondStepPasskeyOptions(step.mfaToken()));
        assertThat(events(victim).stream().filter(e -> e.type().equals(AccountEvent.SIGN_IN_FAILED)))
                .hasSize(5).allSatisfy(e -> assertThat(e.detail()).containsEntry("step", "mfa"));
    }

    @Test
    void aBadSignatureAnotherCeremonyKindAndACounterThatWentBackAreWrongCodes() throws Exception {
        SoftAuthenticator authenticator = TestAccounts.authenticator();
        TestUser user = enrolled("pk2.fail", authenticator);
        MfaRequired step = passwordStep(user);

        PasskeyOptions options = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        SoftAuthenticator other = TestAccounts.authenticator();
        addPasskey(TestUsers.signUpVerified(t, "pk2.other"), other);
        ObjectNode forged = (ObjectNode) JSON.readTree(authenticator.assertion(options.optionsJson()));
        String otherSignature = JSON.readTree(other.assertion(options.optionsJson())).path("response")
                .path("signature").asText(); // a well-formed signature by another key
        ((ObjectNode) forged.path("response")).put("signature", otherSignature);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(),
                options.ceremonyId(), forged.toString(), PHONE));
        PasskeyOptions again = accounts.signIns().secondStepPasskeyOptions(step.mfaToken());
        ObjectNode garbled = (ObjectNode) JSON.readTree(authenticator.assertion(again.optionsJson()));
        ((ObjectNode) garbled.path("response")).put("signature", "AAAA"); // not even DER
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(),
                again.ceremonyId(), garbled.toString(), PHONE));
        failsWith(ErrorCode.INVALID_CEREMONY, () -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(),
                options.ceremonyId(), authenticator.assertion(options.optionsJson()), PHONE)); // used up

        PasskeyOptions passwordless = accounts.passkeys().signInOptions(PHONE);
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> accounts.signIns().completeSignInWithPasskey(step.mfaToken(),
                passwordless.ceremonyId(), authenticator.assertion(passwordless.optionsJson()), PHONE));

        complete(passwordStep(user), authenticator); // the stored counter moves on
        authenticator.last().counter = 1; // a clone that lags behind
        failsWith(ErrorCode.INVALID_MFA_CODE, () -> complete(step, authenticator));
        assertThat(events(user).stream().filter(e -> e.type().equals(AccountEvent.SIGN_IN_FAILED))).hasSize(4);
    }
}
