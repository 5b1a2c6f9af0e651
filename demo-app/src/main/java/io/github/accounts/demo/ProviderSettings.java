package io.github.accounts.demo;

import io.github.accounts.core.federation.Provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sign-in providers of the settings: {@code OIDC_PROVIDERS=<id>,<id>} and, per id (upper-cased, {@code -} as
 * {@code _}), {@code OIDC_<ID>_ISSUER}, {@code OIDC_<ID>_CLIENT_ID}, {@code OIDC_<ID>_CLIENT_SECRET} and an optional
 * {@code OIDC_<ID>_NAME}; {@code GITHUB_CLIENT_ID} with {@code GITHUB_CLIENT_SECRET} add {@code github}. A missing or
 * malformed one stops start-up with a {@link Failure} naming it. Stateless.
 */
final class ProviderSettings {
    private ProviderSettings() {
    }

    static List<Provider> from(Map<String, String> variables) {
        List<Provider> providers = new ArrayList<>();
        for (String id : Settings.value(variables, "OIDC_PROVIDERS", "").split(",")) {
            id = id.strip();
            if (id.isEmpty()) {
                continue;
            }
            if (!id.matches("[a-z0-9-]{1,32}") || id.equals("github")) {
                throw Failure.usage("OIDC_PROVIDERS names provider ids of lowercase letters, digits and '-' (and not "
                        + "github, which GITHUB_CLIENT_ID adds), not '" + id + "'");
            }
            String issuer = required(variables, variable(id, "ISSUER"));
            providers.add(Provider.oidc(id, Settings.value(variables, variable(id, "NAME"), id), issuer(id, issuer),
                    required(variables, variable(id, "CLIENT_ID")), required(variables, variable(id, "CLIENT_SECRET"))));
        }
        String githubId = Settings.value(variables, "GITHUB_CLIENT_ID", "");
        String githubSecret = Settings.value(variables, "GITHUB_CLIENT_SECRET", "");
        if (!githubId.isEmpty() || !githubSecret.isEmpty()) {
            providers.add(Provider.github(required(variables, "GITHUB_CLIENT_ID"),
                    required(variables, "GITHUB_CLIENT_SECRET")));
        }
        return providers;
    }

    /** The setting of provider {@code id}'s {@code what}: {@code OIDC_<ID>_<WHAT>}. */
    static String variable(String id, String what) {
        return "OIDC_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_" + what;
    }

    private static String required(Map<String, String> variables, String name) {
        String value = Settings.value(variables, name, "");
        if (value.isEmpty()) {
            throw Failure.usage(name + " is required for the sign-in provider it names");
        }
        return value;
    }

    private static URI issuer(String id, String value) {
        try {
            URI uri = new URI(value);
            boolean local = "http".equals(uri.getScheme()) && List.of("localhost", "127.0.0.1").contains(uri.getHost());
            if (("https".equals(uri.getScheme()) || local) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw Failure.usage(variable(id, "ISSUER") + " must be the provider's https:// issuer URL (http:// on "
                + "localhost only), not '" + value + "'");
    }
}
