package io.github.accounts.core.config;

import io.github.accounts.core.config.ThrottleLimits.Rate;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The relying party passkeys are made for: its RP ID (the host's registrable domain, e.g. {@code example.com}, or
 * {@code localhost}), the name authenticators show, and the exact origins (scheme, host and port) browsers may
 * send from, each of them the RP ID or a subdomain of it. Passwordless sign-in options are limited per client
 * address to {@code signInOptions} (default {@link #DEFAULT_SIGN_IN_OPTIONS}). Immutable.
 */
public record PasskeyConfig(String rpId, String rpName, Set<String> origins, Rate signInOptions) {
    /** Passwordless sign-in ceremonies begun per client address: 30 a minute. */
    public static final Rate DEFAULT_SIGN_IN_OPTIONS = new Rate(30, Duration.ofMinutes(1));

    public PasskeyConfig {
        Objects.requireNonNull(rpId, "null rpId");
        Objects.requireNonNull(rpName, "null rpName");
        Objects.requireNonNull(signInOptions, "null signInOptions");
        if (rpId.isEmpty() || !rpId.equals(rpId.toLowerCase(Locale.ROOT)) || rpId.contains("/") || rpId.contains(":")) {
            throw new IllegalArgumentException("The RP ID must be a lower-case domain name without scheme or port, "
                    + "e.g. example.com, was '" + rpId + "'");
        }
        if (rpName.isBlank()) {
            throw new IllegalArgumentException("The relying party's name must not be blank");
        }
        origins = Set.copyOf(origins);
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("Passkeys need at least one allowed origin, e.g. https://" + rpId);
        }
        origins.forEach(origin -> checkOrigin(origin, rpId));
    }

    /** Passkeys for {@code rpId} from the given origins, with the default sign-in options limit. */
    public static PasskeyConfig of(String rpId, String rpName, Set<String> origins) {
        return new PasskeyConfig(rpId, rpName, origins, DEFAULT_SIGN_IN_OPTIONS);
    }

    /**
     * The relying party of a public URL such as {@code https://app.example.com}: its host as the RP ID, its origin
     * (a default port left out, as browsers send it) as the one allowed.
     */
    public static PasskeyConfig forPublicUrl(URI publicUrl, String rpName) {
        Objects.requireNonNull(publicUrl, "null publicUrl");
        String scheme = String.valueOf(publicUrl.getScheme()).toLowerCase(Locale.ROOT);
        String host = String.valueOf(publicUrl.getHost()).toLowerCase(Locale.ROOT);
        int port = publicUrl.getPort();
        boolean defaultPort = port == -1 || port == 443 && scheme.equals("https") || port == 80 && scheme.equals("http");
        return of(host, rpName, Set.of(scheme + "://" + host + (defaultPort ? "" : ":" + port)));
    }

    public PasskeyConfig withSignInOptions(Rate value) {
        return new PasskeyConfig(rpId, rpName, origins, value);
    }

    private static void checkOrigin(String origin, String rpId) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("Not an origin: '" + origin + "'", e);
        }
        String host = uri.getHost();
        boolean shaped = ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && host != null
                && (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawUserInfo() == null && origin.equals(origin.toLowerCase(Locale.ROOT));
        if (!shaped) {
            throw new IllegalArgumentException("An origin is a lower-case scheme://host[:port] with nothing after "
                    + "it, e.g. https://" + rpId + ", was '" + origin + "'");
        }
        if (!host.equals(rpId) && !host.endsWith("." + rpId)) {
            throw new IllegalArgumentException("The origin " + origin + " is not on the RP ID " + rpId
                    + " or a subdomain of it");
        }
    }
}
