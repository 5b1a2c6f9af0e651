package io.github.accounts.core.mfa;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.HostSecret;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.github.accounts.core.testing.Failures.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host's TOTP keys: rotation re-seals a secret on its next use; without a key TOTP is not offered. */
@OnEachDatabase
class MfaKeysTest extends StorageTest {
    private static final byte[] NEXT_KEY = "the next TOTP key for tests, 32b".getBytes(StandardCharsets.UTF_8);

    private AccountsBuilder sameDatabase() {
        return Accounts.builder(t.emf).config(config()).clock(t.clock).throttleSecret(TestAccounts.THROTTLE_SECRET)
                .housekeeping(false);
    }

    @Test
    void afterARotationASecretUnderTheOlderKeyWorksAndIsSealedAgainUnderTheNewOne() {
        TestUser user = TestUsers.signUpVerified(t, "keys.rotate");
        Authenticated me = accounts.sessions().authenticate(user.session().sessionToken());
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(me, user.password()).secret());
        t.clock.advance(Duration.ofSeconds(30));
        List<String> codes = accounts.mfa().confirmTotp(me, Totp.code(secret, Totp.step(t.clock.instant()))).recoveryCodes();
        String before = keyId(user);

        try (Accounts rotated = sameDatabase().totpKeys(NEXT_KEY, List.of(TestAccounts.TOTP_KEY)).build()) {
            t.clock.advance(Duration.ofSeconds(30));
            SignedIn first = rotated.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            rotated.signIns().completeSignIn(first.mfaRequired().mfaToken(), Totp.code(secret, Totp.step(t.clock.instant())),
                    ClientInfo.unknown());
            assertThat(keyId(user)).isNotEqualTo(before);
            // recovery codes digested under the older key still work
            SignedIn second = rotated.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            assertThat(rotated.signIns().completeSignIn(second.mfaRequired().mfaToken(), codes.get(0), ClientInfo.unknown())
                    .session()).isNotNull();
        }
        try (Accounts newOnly = sameDatabase().totpKeys(NEXT_KEY, List.of()).build()) {
            t.clock.advance(Duration.ofSeconds(30));
            SignedIn third = newOnly.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            assertThat(newOnly.signIns().completeSignIn(third.mfaRequired().mfaToken(),
                    Totp.code(secret, Totp.step(t.clock.instant())), ClientInfo.unknown()).session()).isNotNull();
        }
    }

    @Test
    void afterAHostSecretRotationATotpSecretSealedUnderThePreviousOneStillOpens() {
        HostSecret first = HostSecret.of("the first host secret for tests, 32+ bytes".getBytes(StandardCharsets.UTF_8),
                List.of());
        byte[] next = "the next host secret for tests, 32+ bytes".getBytes(StandardCharsets.UTF_8);
        TestUser user = TestUsers.signUpVerified(t, "keys.secret");
        byte[] secret;
        try (Accounts before = sameDatabase().secret(first).build()) {
            Authenticated me = before.sessions().authenticate(user.session().sessionToken());
            secret = new Base32().decode(before.mfa().startTotp(me, user.password()).secret());
            t.clock.advance(Duration.ofSeconds(30));
            before.mfa().confirmTotp(me, Totp.code(secret, Totp.step(t.clock.instant())));
        }
        try (Accounts unrelated = sameDatabase().secret(HostSecret.of(next, List.of())).build()) {
            t.clock.advance(Duration.ofSeconds(30));
            SignedIn in = unrelated.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            assertThatThrownBy(() -> unrelated.signIns().completeSignIn(in.mfaRequired().mfaToken(),
                    Totp.code(secret, Totp.step(t.clock.instant())), ClientInfo.unknown()));
        }
        try (Accounts rotated = sameDatabase().secret(HostSecret.of(next, List.of(
                "the first host secret for tests, 32+ bytes".getBytes(StandardCharsets.UTF_8)))).build()) {
            t.clock.advance(Duration.ofSeconds(30));
            SignedIn in = rotated.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            assertThat(rotated.signIns().completeSignIn(in.mfaRequired().mfaToken(),
                    Totp.code(secret, Totp.step(t.clock.instant())), ClientInfo.unknown()).session()).isNotNull();
        }
    }

    @Test
    void withoutAKeyTotpIsNotOfferedButAUserWhoHasItStillNeedsTheSecondStep() {
        TestUser user = TestUsers.signUpVerified(t, "keys.none");
        Authenticated me = accounts.sessions().authenticate(user.session().sessionToken());
        byte[] secret = new Base32().decode(accounts.mfa().startTotp(me, user.password()).secret());
        t.clock.advance(Duration.ofSeconds(30));
        accounts.mfa().confirmTotp(me, Totp.code(secret, Totp.step(t.clock.instant())));

        try (Accounts keyless = sameDatabase().build()) {
            assertThat(keyless.mfa().available()).isFalse();
            failsWith(ErrorCode.NOT_FOUND, () -> keyless.mfa().startTotp(me, user.password()));
            failsWith(ErrorCode.NOT_FOUND, () -> keyless.mfa().regenerateRecoveryCodes(me, user.password()));
            SignedIn first = keyless.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            assertThat(first.needsSecondFactor()).isTrue(); // never a bypass
            failsWith(ErrorCode.NOT_FOUND, () -> keyless.signIns().completeSignIn(first.mfaRequired().mfaToken(), "123456",
                    ClientInfo.unknown()));
        }
        assertThat(accounts.mfa().available()).isTrue();
    }

    @Test
    void aProfileThatRequiresASecondFactorCannotBeBuiltWithoutAKey() {
        assertThatThrownBy(() -> sameDatabase().config(AccountsConfig.asvsLevel2()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("The asvs-level-2 profile requires a second factor: give "
                        + "AccountsBuilder.totpKeys(...) a key");
    }

    private String keyId(TestUser user) {
        return DatabaseRows.one(t.dataSource, "select key_id from mfa_totp where user_id = ?", user.id()).get("key_id");
    }
}
