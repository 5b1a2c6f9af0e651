package io.github.accounts.core.internal;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens: 256 random bits, base64url; stored as SHA-256, base64url. */
class TokensTest {
    private final Tokens tokens = new Tokens();

    @Test
    void tokensAre256RandomBitsInBase64Url() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String token = tokens.generate();
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
            seen.add(token);
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void digestIsSha256InBase64UrlWithoutPadding() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 f20015ad
        assertThat(Tokens.digest("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(Tokens.digest(tokens.generate())).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void onlyPlausibleTokensAreLookedUp() {
        assertThat(Tokens.plausible(tokens.generate())).isTrue();
        assertThat(Tokens.plausible(null)).isFalse();
        assertThat(Tokens.plausible("")).isFalse();
        assertThat(Tokens.plausible("x".repeat(65))).isFalse();
    }
}
