package io.github.accounts.web;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The languages a request's {@code Accept-Language} hands to the mails it causes. */
class AcceptLanguageTest {
    @Test
    void languagesComeBestFirstWithoutWildcardsOrRefusedOnes() {
        assertThat(Exchange.languages("en;q=0.5, de-CH, fr;q=0, *;q=0.1, de;q=0.9"))
                .containsExactly(Locale.forLanguageTag("de-CH"), Locale.GERMAN, Locale.ENGLISH);
    }

    @Test
    void aMissingMalformedOrOverlongHeaderNamesNone() {
        assertThat(Exchange.languages(null)).isEmpty();
        assertThat(Exchange.languages("en;q=2")).isEmpty();
        assertThat(Exchange.languages("de, " + "en-GB, ".repeat(50) + "fr")).isEmpty();
    }

    @Test
    void atMostEightAreKept() {
        assertThat(Exchange.languages("a1,b1,c1,d1,e1,f1,g1,h1,i1,j1".replace("1", "a"))).hasSize(8);
    }
}
