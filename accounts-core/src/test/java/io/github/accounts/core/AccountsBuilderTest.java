package io.github.accounts.core;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building the service: misuse fails fast with a sentence, and the defaults are the documented ones. */
class AccountsBuilderTest {

    @Test
    void builderRefusesMissingParts() {
        assertThatThrownBy(() -> Accounts.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("null emf");
        assertThatThrownBy(() -> Accounts.entityManagerFactory(null, Map.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("null dataSource");
    }

    @Test
    void builderDefaultsToTheOriginalDesignAndRefusesNulls() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            Accounts.Builder builder = Accounts.builder(t.emf);
            assertThatThrownBy(() -> builder.config(null)).hasMessage("null config");
            assertThatThrownBy(() -> builder.clock(null)).hasMessage("null clock");
            assertThatThrownBy(() -> builder.mailer(null)).hasMessage("null mailer");
            assertThatThrownBy(() -> builder.throttleSecret(new byte[16])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("The throttle secret must be at least 32 bytes, was 16 bytes");
            try (Accounts defaults = builder.build()) {
                assertThat(defaults.config()).isEqualTo(AccountsConfig.originalDesign());
            }
        }
    }

    @Test
    void entityClassesAndChangelogAreWhereTheJavadocSays() {
        assertThat(Accounts.entityClasses()).hasSize(4);
        assertThat(Accounts.class.getClassLoader().getResource(Accounts.CHANGELOG)).isNotNull();
    }

    @Test
    void withoutAThrottleSecretBuildStillWorksAndWarnsAtMostOncePerProcess() {
        try (TestAccounts t = new TestAccounts(TestDatabase.H2)) {
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try (Accounts first = Accounts.builder(t.emf).build(); Accounts second = Accounts.builder(t.emf).build()) {
                first.requestPasswordReset("nobody@example.com", new ClientInfo(null, "192.0.2.1"));
                second.requestPasswordReset("nobody@example.com", new ClientInfo(null, "192.0.2.1"));
            } finally {
                System.setErr(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log.split("No throttle secret", -1).length - 1).isLessThanOrEqualTo(1);
        }
    }
}
