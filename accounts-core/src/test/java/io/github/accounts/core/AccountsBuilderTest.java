package io.github.accounts.core;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

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
}
