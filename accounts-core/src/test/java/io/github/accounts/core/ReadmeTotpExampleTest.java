package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.mfa.TotpEnrolment;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.Authenticator;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.MutableClock;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the snippet of docs/guide/mfa.md as written; DocsSnippetsTest checks that the two agree. */
class ReadmeTotpExampleTest {
    /** The user's authenticator app, on a clock the test moves a step on before each code. */
    private static final class Phone {
        private final MutableClock clock;
        private Authenticator app;

        Phone(MutableClock clock) {
            this.clock = clock;
        }

        void scan(String secret) {
            app = new Authenticator(secret);
        }

        String code() {
            clock.advance(Duration.ofSeconds(30));
            return app.code(clock);
        }
    }

    @Test
    void theReadmeSnippetRuns() {
        DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
        EntityManagerFactory emf = Accounts.entityManagerFactory(dataSource, Map.of());
        MutableClock clock = MutableClock.startingNow();
        Phone phone = new Phone(clock);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String password = "a long and unusual passphrase";
        ClientInfo client = ClientInfo.unknown();
        SignedIn done = null;
        List<String> recoveryCodes;
        String sessionToken;
        try (Accounts setUp = Accounts.builder(emf).throttleSecret(TestAccounts.THROTTLE_SECRET).clock(clock)
                .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)).build()) {
            sessionToken = setUp.signIns().signUp(new NewUser("alice@example.com", "Alice", "Liddell", password), client)
                    .session().sessionToken();
        }
        DatabaseRows.update(dataSource, "update users set email_verified_at = created_at"); // factors need it
        // --- docs snippet starts
        try (Accounts accounts = Accounts.builder(emf)
                .throttleSecret(TestAccounts.THROTTLE_SECRET) // not in the docs
                .totpKeys(key, List.of())      // 32 bytes from your secret store; after a rotation List.of(oldKey)
                .totpIssuer("Example")         // the name authenticator apps show beside the account
                .clock(clock).config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)) // not in the docs
                .build()) {
            Authenticated who = accounts.sessions().authenticate(sessionToken);   // alice, her email verified
            TotpEnrolment enrolment = accounts.mfa().startTotp(who, password); // show otpauthUri() as a QR code
            phone.scan(enrolment.secret());                              // (the user's authenticator app)
            recoveryCodes = accounts.mfa().confirmTotp(who, phone.code()).recoveryCodes(); // 10 codes, shown once

            SignedIn first = accounts.signIns().signIn("alice@example.com", password, client);
            if (first.needsSecondFactor()) {                             // no session yet
                done = accounts.signIns().completeSignIn(first.mfaRequired().mfaToken(), phone.code(), client);
            }
            // --- docs snippet ends
            assertThat(first.mfaRequired().methods()).containsExactly("totp", "recovery_code");
            assertThat(enrolment.otpauthUri()).startsWith("otpauth://totp/Example:alice%40example.com?secret=");
        }
        assertThat(recoveryCodes).hasSize(10);
        assertThat(done.session()).isNotNull();
        emf.close();
    }
}
