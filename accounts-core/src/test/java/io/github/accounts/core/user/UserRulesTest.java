package io.github.accounts.core.user;

import io.github.accounts.core.FieldError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract's rules for names and emails, and the look-alikes they refuse (issue 13 item 14). */
class UserRulesTest {
    private static List<FieldError> nameErrors(String raw) {
        List<FieldError> errors = new ArrayList<>();
        UserRules.name("fname", raw, errors);
        return errors;
    }

    private static List<FieldError> emailErrors(String raw) {
        List<FieldError> errors = new ArrayList<>();
        UserRules.email(raw, errors);
        return errors;
    }

    private static String acceptedName(String raw) {
        List<FieldError> errors = new ArrayList<>();
        String name = UserRules.name("fname", raw, errors);
        assertThat(errors).as("errors for %s", escaped(raw)).isEmpty();
        return name;
    }

    private static String acceptedEmail(String raw) {
        List<FieldError> errors = new ArrayList<>();
        String email = UserRules.email(raw, errors);
        assertThat(errors).as("errors for %s", escaped(raw)).isEmpty();
        return email;
    }

    private static void assertInvalid(List<FieldError> errors, String field, String raw) {
        assertThat(errors).as(escaped(raw)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.code()).isEqualTo("invalid");
            assertThat(e.message()).isNotBlank();
        });
    }

    private static String escaped(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? Character.toString(c)
                : String.format("\\u%04X", c)));
        return b.toString();
    }

    @Test
    void namesKeepLettersMarksDigitsPunctuationSymbolsAndInnerSpaces() {
        assertThat(acceptedName("  Ada Q ")).isEqualTo("Ada Q");
        for (String name : List.of("José", "Nguyễn Thị", "O'Brien-Smith", "李小龍", "Zoë 2", "Åsa\u0301", "J.R.R.",
                "\uD83D\uDE00")) {
            assertThat(acceptedName(name)).isEqualTo(name);
        }
    }

    @Test
    void namesRefuseFormatCharacters() {
        for (String name : List.of("\u200B\u200B", "Ann\u200BMarie", "Ann\u202Eeiram", "\u2066Ann", "Ann\u00AD",
                "\uFEFFAnn", "Ann\u2060", "Ann\u200D")) {
            assertInvalid(nameErrors(name), "fname", name);
        }
    }

    @Test
    void namesRefuseSeparatorsOtherThanTheSpace() {
        for (String name : List.of("Ann\u2028Marie", "Ann\u2029Marie", "Ann\u00A0Marie", "Ann\u3000Marie",
                "Ann\u2003Marie")) {
            assertInvalid(nameErrors(name), "fname", name);
        }
    }

    @Test
    void namesNeedAVisibleCharacter() {
        for (String name : List.of("\u0301\u0301", "\u3164", "\u115F\u1160", "\uFE0F")) {
            assertInvalid(nameErrors(name), "fname", name);
        }
        assertThat(nameErrors(" \u2028 ")).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("required"));
    }

    @Test
    void namesStillRefuseControlCharactersAndLoneSurrogates() {
        for (String name : List.of("Ann\nMarie", "Ann\u007F", "Ann\u0085", "Ann\uD800", "\uDE00Ann")) {
            assertInvalid(nameErrors(name), "fname", name);
        }
    }

    @Test
    void emailsAreStoredInNfkcLowerCase() {
        assertThat(acceptedEmail("\uFF42ob@example.com")).isEqualTo("bob@example.com");
        assertThat(acceptedEmail(" \uFF22\uFF2F\uFF22\uFF20\uFF25xample.com ")).isEqualTo("bob@example.com");
        assertThat(acceptedEmail("\uFB01ne@example.com")).isEqualTo("fine@example.com");
        assertThat(acceptedEmail("Jos\u0065\u0301@example.com")).isEqualTo("jos\u00E9@example.com");
        assertThat(UserRules.normaliseEmail("\uFF42ob@EXAMPLE.com")).isEqualTo("bob@example.com");
    }

    @Test
    void emailsRefuseInvisibleAndBidiCharacters() {
        for (String email : List.of("bob\u200B@example.com", "b\u202Eob@example.com", "bob@exam\u2066ple.com",
                "\u200Fbob@example.com", "bob@example.com\u200E", "bob\u00AD@example.com", "bob\u2060@example.com",
                "bob\uFEFF@example.com", "bo\u3164b@example.com", "bob\uFE0F@example.com", "bob\u00A0x@example.com",
                "bob\u2028x@example.com", "bob\uD800@example.com")) {
            assertInvalid(emailErrors(email), "email", email);
        }
    }

    @Test
    void emailsRefuseQuotesAndAngleBracketsInTheStoredForm() {
        for (String email : List.of("\"bob\"@example.com", "<bob@example.com>", "bob@example.com>", "b<o@example.com",
                "\uFF02bob\uFF02@example.com", "\uFF1Cbob@example.com")) {
            assertInvalid(emailErrors(email), "email", email);
        }
    }

    @Test
    void emailsKeepTheContractsRulesOtherwise() {
        assertThat(acceptedEmail("o'brien+tag@example.co.uk")).isEqualTo("o'brien+tag@example.co.uk");
        assertThat(acceptedEmail("m\u00FCller@b\u00FCcher.de")).isEqualTo("m\u00FCller@b\u00FCcher.de");
        for (String bad : List.of("no-at-sign.example.com", "@example.com", "a@b@example.com", "a@localhost",
                "a@example.", "a@exa..mple.com", "a b@example.com")) {
            assertInvalid(emailErrors(bad), "email", bad);
        }
        assertThat(emailErrors("  ")).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("required"));
        String suffix = "@example.com";
        assertThat(acceptedEmail("\uFF41".repeat(254 - suffix.length()) + suffix)).hasSize(254);
        assertThat(emailErrors("a".repeat(255 - suffix.length()) + suffix))
                .singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("too_long"));
    }
}
