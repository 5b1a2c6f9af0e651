package io.github.accounts.core.federation;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One provider the host offers: an OpenID Connect provider found by its {@code issuer} URL (discovery), or GitHub
 * ({@code github} non-null: OAuth 2.0 with its user and emails API). {@code id} is lowercase letters, digits and
 * {@code -} (it is in the callback path); {@code allowSignUp} lets it make new accounts; {@code
 * linkVerifiedEmailsAutomatically} (off by default) links it to an account whose verified email equals the
 * provider's verified one without asking the user to prove the account. The client secret never appears in
 * {@link #toString()}. Immutable.
 */
public record Provider(String id, String name, URI issuer, GitHubEndpoints github, String clientId,
                       String clientSecret, List<String> scopes, boolean allowSignUp,
                       boolean linkVerifiedEmailsAutomatically) {
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{1,32}");

    public Provider {
        Objects.requireNonNull(id, "null id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("A provider id is 1 to 32 lowercase letters, digits and '-', not '"
                    + id + "'");
        }
        Objects.requireNonNull(name, "null name");
        if ((issuer == null) == (github == null)) {
            throw new IllegalArgumentException("Provider " + id + " needs exactly one of an issuer URL and GitHub");
        }
        if (issuer != null && !"https".equals(issuer.getScheme()) && !isLoopback(issuer)) {
            throw new IllegalArgumentException("The issuer of provider " + id + " must be an https: URL, not "
                    + issuer);
        }
        requireText(clientId, "client id", id);
        requireText(clientSecret, "client secret", id);
        scopes = List.copyOf(Objects.requireNonNull(scopes, "null scopes"));
    }

    /** An OpenID Connect provider by its issuer URL, asking for {@code openid email profile}; sign-up allowed. */
    public static Provider oidc(String id, String name, URI issuer, String clientId, String clientSecret) {
        return new Provider(id, name, issuer, null, clientId, clientSecret, List.of("openid", "email", "profile"),
                true, false);
    }

    /** GitHub, id {@code github}, asking for {@code read:user user:email}; sign-up allowed. */
    public static Provider github(String clientId, String clientSecret) {
        return github(GitHubEndpoints.GITHUB_COM, clientId, clientSecret);
    }

    /** GitHub at other endpoints (GitHub Enterprise Server, or a stand-in in tests). */
    public static Provider github(GitHubEndpoints endpoints, String clientId, String clientSecret) {
        return new Provider("github", "GitHub", null, endpoints, clientId, clientSecret,
                List.of("read:user", "user:email"), true, false);
    }

    /** This provider with these scopes instead. */
    public Provider withScopes(List<String> value) {
        return new Provider(id, name, issuer, github, clientId, clientSecret, value, allowSignUp,
                linkVerifiedEmailsAutomatically);
    }

    /** This provider allowed ({@code true}) or not to make new accounts. */
    public Provider withSignUp(boolean value) {
        return new Provider(id, name, issuer, github, clientId, clientSecret, scopes, value,
                linkVerifiedEmailsAutomatically);
    }

    /** This provider linking automatically ({@code true}) when both addresses are verified. */
    public Provider withAutomaticLinking(boolean value) {
        return new Provider(id, name, issuer, github, clientId, clientSecret, scopes, allowSignUp, value);
    }

    /** Whether this is GitHub (OAuth 2.0) rather than an OpenID Connect provider. */
    public boolean isGitHub() {
        return github != null;
    }

    @Override
    public String toString() {
        return "Provider[id=" + id + ", name=" + name + ", " + (github != null ? "github=" + github.api()
                : "issuer=" + issuer) + ", clientId=" + clientId + ", scopes=" + scopes + ", allowSignUp="
                + allowSignUp + ", linkVerifiedEmailsAutomatically=" + linkVerifiedEmailsAutomatically + "]";
    }

    private static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return "http".equals(uri.getScheme()) && ("localhost".equals(host) || "127.0.0.1".equals(host)
                || "[::1]".equals(host));
    }

    private static void requireText(String value, String what, String id) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Provider " + id + " needs a " + what);
        }
    }

    /**
     * Where GitHub's OAuth endpoints and API are: {@link #GITHUB_COM}, or those of a GitHub Enterprise Server.
     * Immutable.
     */
    public record GitHubEndpoints(URI authorize, URI token, URI api) {
        /** github.com's. */
        public static final GitHubEndpoints GITHUB_COM = new GitHubEndpoints(
                URI.create("https://github.com/login/oauth/authorize"),
                URI.create("https://github.com/login/oauth/access_token"), URI.create("https://api.github.com"));

        public GitHubEndpoints {
            Objects.requireNonNull(authorize, "null authorize");
            Objects.requireNonNull(token, "null token");
            Objects.requireNonNull(api, "null api");
        }
    }
}
