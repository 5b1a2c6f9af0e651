package io.github.accounts.core.password;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.PasswordPolicy;
import me.gosimple.nbvcxz.scoring.Result;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The password policy of the contract: length in code points, no common or patterned passwords, no context. */
class PasswordRulesTest {
    private static final String EMAIL = "margaret.hamilton@example.com";
    private static final String FNAME = "Grace";
    private static final String LNAME = "Hopper";
    private static final String STRONG_15 = "Xk7#pQ2!vL9@mZ4";

    private final PasswordRules rules = new PasswordRules(AccountsConfig.originalDesign().passwords());

    private Optional<FieldError> check(String password) {
        return rules.check("password", password, EMAIL, FNAME, LNAME);
    }

    private void assertRefused(String password, String code) {
        assertThat(check(password)).as(password).hasValueSatisfying(e -> {
            assertThat(e.field()).isEqualTo("password");
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.message()).isNotBlank();
        });
    }

    /** {@code n} distinct code points outside the Basic Multilingual Plane: two chars each. */
    private static String astral(int n) {
        return IntStream.range(0, n).map(i -> 0x1F600 + i * 3)
                .mapToObj(Character::toString).collect(Collectors.joining());
    }

    private static String random(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) ('!' + random.nextInt(94)));
        }
        return sb.toString();
    }

    @Test
    void acceptsAStrongPasswordOfFifteenCodePoints() {
        assertThat(check(STRONG_15)).isEmpty();
    }

    @Test
    void refusesFourteenCodePointsAsTooWeak() {
        assertRefused(STRONG_15.substring(1), "password_too_weak");
        assertThat(check(STRONG_15.substring(1)).orElseThrow().message()).contains("15");
    }

    @Test
    void countsLengthInCodePointsNotChars() {
        assertThat(astral(14)).hasSize(28);
        assertRefused(astral(14), "password_too_weak");
        assertThat(check(astral(15))).isEmpty();
    }

    @Test
    void acceptsUpTo1024CodePointsAndRefusesMore() {
        String max = random(1024);
        assertThat(check(max)).isEmpty();
        assertRefused(max + "x", "too_long");
        assertThat(check(astral(1024))).isEmpty();
        assertRefused(astral(1025), "too_long");
    }

    @Test
    void requiresAPassword() {
        assertRefused(null, "required");
        assertRefused("", "required");
    }

    @Test
    void refusesCommonPasswords() {
        for (String common : List.of("passwordpassword", "123456789012345", "iloveyouiloveyou", "Password12345678!",
                "correcthorsebatterystaple")) {
            assertRefused(common, "password_too_weak");
        }
    }

    @Test
    void refusesKeyboardWalksAndRepeats() {
        for (String pattern : List.of("qwertyuiopasdfghjkl", "1qaz2wsx3edc4rfv5tgb", "aaaaaaaaaaaaaaaaaaaa",
                "abcabcabcabcabcabc", "zxcvbnmzxcvbnm123")) {
            assertRefused(pattern, "password_too_weak");
        }
    }

    @Test
    void refusesPasswordsContainingTheEmailLocalPartOrTheNames() {
        for (String withContext : List.of("Q7#z" + "Margaret.Hamilton" + "!vk2", "x9$L" + "gRaCe" + "Tk4#pW8qZ",
                "hopper" + "Yq8#Lz2$Wm5")) {
            assertThat(check(withContext)).as(withContext).hasValueSatisfying(e -> {
                assertThat(e.code()).isEqualTo("password_too_weak");
                assertThat(e.message()).contains("email").contains("name");
            });
        }
    }

    @Test
    void allowsNamePartsTooShortToMatter() {
        assertThat(rules.check("password", "al" + STRONG_15, "al@example.com", "Al", "Li")).isEmpty();
    }

    @Test
    void checksContextEvenWhenTheEmailIsMissing() {
        assertRefused("x9$L" + "grace" + "Tk4#pW8qZ", "password_too_weak");
        assertThat(rules.check("password", "x9$L" + "grace" + "Tk4#pW8qZ", null, "Grace", null)).isPresent();
        assertThat(rules.check("password", STRONG_15, null, null, null)).isEmpty();
    }

    @Test
    void reportsTheFieldItWasAskedAbout() {
        assertThat(rules.check("new_password", "short", EMAIL, FNAME, LNAME))
                .hasValueSatisfying(e -> assertThat(e.field()).isEqualTo("new_password"));
    }

    /** Issue 13 item 3: with nbvcxz's defaults a long patterned password cost ~0.5 s of CPU per request. */
    @Test
    void theStrengthEstimateLooksAtABoundedWindowWithABoundedSearch() {
        assertThat(rules.estimatorConfiguration().getCombinationAlgorithmTimeout())
                .as("nbvcxz's best-combination search, in ms").isBetween(1L, 10L);
        Result longest = rules.estimate("!1|x".repeat(256));
        assertThat(longest.getFullPassword()).hasSize(1024);
        assertThat(longest.getPassword()).as("the characters estimated").hasSize(24);
    }

    @Test
    void aLongPasswordIsJudgedByItsFirstCharactersAndItsContextByAll() {
        assertRefused("iloveyou".repeat(3) + random(40), "password_too_weak");
        assertThat(check(STRONG_15 + "password".repeat(100))).isEmpty();
        assertThat(check(random(100) + "hopper")).hasValueSatisfying(e -> assertThat(e.message()).contains("name"));
    }

    @Test
    void aStricterPolicyRaisesTheMinimum() {
        PasswordRules strict = new PasswordRules(new PasswordPolicy(20, 64, 30));
        assertThat(strict.check("password", STRONG_15, EMAIL, FNAME, LNAME))
                .hasValueSatisfying(e -> assertThat(e.message()).contains("20"));
        assertThat(strict.check("password", random(65), EMAIL, FNAME, LNAME))
                .hasValueSatisfying(e -> assertThat(e.code()).isEqualTo("too_long"));
    }
}
