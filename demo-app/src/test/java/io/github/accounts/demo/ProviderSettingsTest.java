package io.github.accounts.demo;

import io.github.accounts.core.federation.FederationSettings;
import io.github.accounts.core.federation.Provider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sign-in providers' settings: read in the order given, each missing one named, GitHub by its pair. */
class ProviderSettingsTest {
    private static final Map<String, String> TWO = Map.of("OIDC_PROVIDERS", "google, my-idp",
            "OIDC_GOOGLE_ISSUER", "https://accounts.google.com", "OIDC_GOOGLE_CLIENT_ID", "g-id",
            "OIDC_GOOGLE_CLIENT_SECRET", "g-secret", "OIDC_GOOGLE_NAME", "Google",
            "OIDC_MY_IDP_ISSUER", "http://localhost:8080/realms/demo", "OIDC_MY_IDP_CLIENT_ID", "m-id",
            "OIDC_MY_IDP_CLIENT_SECRET", "m-secret", "GITHUB_CLIENT_ID", "gh-id", "GITHUB_CLIENT_SECRET", "gh-secret");

    @Test
    void providersAreReadInTheirOrderWithGitHubLast() {
        assertThat(ProviderSettings.from(TWO)).extracting(Provider::id).containsExactly("google", "my-idp", "github");
        Provider google = ProviderSettings.from(TWO).get(0);
        assertThat(google.name()).isEqualTo("Google");
        assertThat(google.issuer()).isEqualTo(URI.create("https://accounts.google.com"));
        assertThat(ProviderSettings.from(TWO).get(1).name()).as("the id when no name is set").isEqualTo("my-idp");
        assertThat(ProviderSettings.from(Map.of())).isEmpty();
    }

    @Test
    void aMissingSettingStopsStartUpNamingIt() {
        Map<String, String> noSecret = new java.util.HashMap<>(TWO);
        noSecret.remove("OIDC_MY_IDP_CLIENT_SECRET");
        assertThatThrownBy(() -> ProviderSettings.from(noSecret)).isInstanceOf(Failure.class)
                .hasMessageStartingWith("OIDC_MY_IDP_CLIENT_SECRET is required");
        assertThatThrownBy(() -> ProviderSettings.from(Map.of("GITHUB_CLIENT_ID", "x"))).isInstanceOf(Failure.class)
                .hasMessageStartingWith("GITHUB_CLIENT_SECRET is required");
        Map<String, String> plainHttp = new java.util.HashMap<>(TWO);
        plainHttp.put("OIDC_GOOGLE_ISSUER", "http://accounts.google.com");
        assertThatThrownBy(() -> ProviderSettings.from(plainHttp)).isInstanceOf(Failure.class)
                .hasMessageStartingWith("OIDC_GOOGLE_ISSUER must be");
        assertThatThrownBy(() -> ProviderSettings.from(Map.of("OIDC_PROVIDERS", "Google"))).isInstanceOf(Failure.class)
                .hasMessageStartingWith("OIDC_PROVIDERS names provider ids");
    }

    @Test
    void theRedirectUriIsThePublicUrlAndTheAccountsPrefixAndOnlyDevelopmentLeavesAProviderOut() {
        Map<String, String> production = new java.util.HashMap<>(TWO);
        production.putAll(Map.of("APP_SETTINGS", "production", "DATABASE_URL", "postgres://u:p@db/app",
                "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:"));
        assertThatThrownBy(() -> App.federation(Settings.from(production))).isInstanceOf(Failure.class)
                .hasMessageStartingWith("PUBLIC_URL is required with sign-in providers");
        production.put("PUBLIC_URL", "https://accounts.example.com/");
        FederationSettings federation = App.federation(Settings.from(production)).orElseThrow();
        assertThat(federation.redirectUri("google"))
                .isEqualTo(URI.create("https://accounts.example.com/accounts/providers/google/callback"));
        assertThat(federation.leaveOutUndiscoverable()).isFalse();
        assertThat(App.federation(Settings.from(TWO)).orElseThrow().leaveOutUndiscoverable()).isTrue();
    }
}
