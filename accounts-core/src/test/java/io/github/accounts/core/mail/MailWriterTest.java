package io.github.accounts.core.mail;

import io.github.accounts.core.ClientInfo;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a mail is written from its template: links, placeholders, escaping, the locale, and the checks at build. */
class MailWriterTest {
    private static final URI SITE = URI.create("https://app.example/");
    private static final String TOKEN = "t".repeat(43);

    /** German and English resets with HTML; nothing else. */
    private static final MailTemplates GERMAN_AND_ENGLISH = new MailTemplates() {
        @Override
        public MailTemplate template(MailTemplates.Kind kind, Locale locale) {
            if (kind != MailTemplates.Kind.RESET_PASSWORD) {
                return null;
            }
            return (locale.getLanguage().equals("de") ? MailTemplate.of("Zurücksetzen", "{link}")
                    : MailTemplate.of("Reset", "{link}")).withHtml("<a href=\"{link}\">{token}</a> {minutes}");
        }

        @Override
        public List<Locale> locales() {
            return List.of(Locale.ENGLISH, Locale.GERMAN);
        }
    };

    private static ClientInfo accepting(String... tags) {
        return new ClientInfo(null, null, java.util.Arrays.stream(tags).map(Locale::forLanguageTag).toList());
    }

    @Test
    void theLinkOpensThePublicUrlWithTheTokenInTheFragmentAndTheTokenIsNotBare() {
        MailMessage mail = new MailWriter(null, URI.create("https://app.example///"), Map.of())
                .write(MailTemplates.Kind.RESET_PASSWORD, ClientInfo.unknown(), TOKEN, Map.of("minutes", "60"));

        assertThat(mail.text()).contains("\n\nhttps://app.example/#reset-token=" + TOKEN + "\n\n")
                .contains("within 60 minutes");
        assertThat(mail.text().replace("#reset-token=" + TOKEN, "")).doesNotContain(TOKEN);
        assertThat(mail.html()).isNull();
    }

    @Test
    void withoutAPageTheEnglishMailCarriesTheBareToken() {
        MailMessage mail = new MailWriter(null, null, Map.of())
                .write(MailTemplates.Kind.VERIFY_EMAIL, ClientInfo.unknown(), TOKEN, Map.of("hours", "24"));

        assertThat(mail.text()).contains("\n\n" + TOKEN + "\n").doesNotContain("http").doesNotContain("#");
    }

    @Test
    void theEmailSignInLinkKeepsTheContractsShape() {
        String link = new MailWriter(null, URI.create("https://app.example"), Map.of())
                .link(MailTemplates.Kind.SIGN_IN_LINK, TOKEN);

        assertThat(link).isEqualTo("https://app.example/#email-sign-in-token=" + TOKEN);
    }

    @Test
    void theRequestsLanguagePicksAmongTheHostsLocalesAndElseTheFirst() {
        MailWriter writer = new MailWriter(GERMAN_AND_ENGLISH, SITE, Map.of());

        assertThat(writer.pick(accepting("de-CH", "en").languages()).getLanguage()).isEqualTo("de");
        assertThat(writer.pick(accepting("fr", "de").languages()).getLanguage()).isEqualTo("de");
        assertThat(writer.pick(accepting("en-US").languages()).getLanguage()).isEqualTo("en");
        assertThat(writer.pick(accepting("fr").languages()).getLanguage()).isEqualTo("en");
        assertThat(writer.pick(List.of()).getLanguage()).isEqualTo("en");
        assertThat(writer.write(MailTemplates.Kind.RESET_PASSWORD, accepting("de"), TOKEN, Map.of("minutes", "60"))
                .subject()).isEqualTo("Zurücksetzen");
    }

    @Test
    void aKindTheHostLeavesOutIsAccountsEnglish() {
        MailMessage mail = new MailWriter(GERMAN_AND_ENGLISH, SITE, Map.of())
                .write(MailTemplates.Kind.VERIFY_EMAIL, accepting("de"), TOKEN, Map.of("hours", "24"));

        assertThat(mail.subject()).isEqualTo("Verify your email address");
        assertThat(mail.text()).contains("https://app.example/#verify-email-token=" + TOKEN);
    }

    @Test
    void valuesAreEscapedInTheHtmlPartOnly() {
        MailTemplates quoting = (kind, locale) -> kind == MailTemplates.Kind.EMAIL_CHANGE_REQUESTED
                ? MailTemplate.of("Change to {new_email}", "To {new_email}").withHtml("<b>{new_email}</b>") : null;

        MailMessage mail = new MailWriter(quoting, SITE, Map.of()).write(MailTemplates.Kind.EMAIL_CHANGE_REQUESTED,
                ClientInfo.unknown(), null, Map.of("new_email", "<a***@x.org>\n", "hours", "24"));

        assertThat(mail.subject()).isEqualTo("Change to <a***@x.org> ");
        assertThat(mail.text()).isEqualTo("To <a***@x.org>\n");
        assertThat(mail.html()).isEqualTo("<b>&lt;a***@x.org&gt;<br>\n</b>");
    }

    @Test
    void aPlaceholderItsKindLacksStopsTheBuildNamingIt() {
        MailTemplates wrong = (kind, locale) -> kind == MailTemplates.Kind.NOTICE_PASSWORD_CHANGED
                ? MailTemplate.of("Changed", "Undo: {link}") : null;

        assertThatThrownBy(() -> new MailWriter(wrong, SITE, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NOTICE_PASSWORD_CHANGED").hasMessageContaining("[link]");
    }

    @Test
    void aLinkWithoutAPageStopsTheBuild() {
        MailTemplates linking = (kind, locale) -> kind == MailTemplates.Kind.RESET_PASSWORD
                ? MailTemplate.of("Reset", "{link}") : null;

        assertThatThrownBy(() -> new MailWriter(linking, null, Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("publicUrl");
        assertThat(new MailWriter(linking, null, Map.of(MailTemplates.Kind.RESET_PASSWORD,
                URI.create("https://app.example/reset"))).link(MailTemplates.Kind.RESET_PASSWORD, TOKEN))
                .isEqualTo("https://app.example/reset#reset-token=" + TOKEN);
    }

    @Test
    void everyEnglishTemplateUsesOnlyItsKindsPlaceholders() {
        for (MailTemplates.Kind kind : MailTemplates.Kind.values()) {
            for (boolean linked : new boolean[] {true, false}) {
                assertThat(kind.placeholders()).as(kind + (linked ? " linked" : ""))
                        .containsAll(EnglishMails.template(kind, linked).placeholders());
            }
        }
    }
}
