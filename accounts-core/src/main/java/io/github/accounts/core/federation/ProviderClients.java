package io.github.accounts.core.federation;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured providers and their clients (Nimbus behind this one class): OpenID Connect providers are discovered
 * when it is built, which fails naming the provider unless the settings leave an undiscoverable one out (with a
 * WARN). Reached from {@code Accounts} only; not API. Thread-safe.
 */
public final class ProviderClients {
    private static final Logger log = LoggerFactory.getLogger(ProviderClients.class);

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, ProviderClient> clients = new LinkedHashMap<>();

    /** The providers of {@code settings}, discovered now. */
    public ProviderClients(FederationSettings settings) {
        for (Provider p : settings.providers()) {
            URI redirect = settings.redirectUri(p.id());
            ProviderClient client;
            if (p.isGitHub()) {
                client = new GitHubClient(p, redirect, settings.timeout());
            } else {
                try {
                    client = new OidcClient(p, redirect, settings.timeout());
                } catch (Exception e) {
                    String why = "Discovery of provider " + p.id() + " at " + p.issuer() + " failed: " + e.getMessage();
                    if (!settings.leaveOutUndiscoverable()) {
                        throw new DiscoveryFailure(p.id(), why, e);
                    }
                    log.warn("{}; the provider is left out", why);
                    continue;
                }
            }
            providers.put(p.id(), p);
            clients.put(p.id(), client);
        }
    }

    /** No providers: federated sign-in off. */
    public static ProviderClients none() {
        return new ProviderClients(FederationSettings.of(URI.create("http://localhost"), List.of()));
    }

    /** The providers offered, in the host's order. */
    public List<ProviderInfo> list() {
        List<ProviderInfo> out = new ArrayList<>();
        providers.values().forEach(p -> out.add(new ProviderInfo(p.id(), p.name())));
        return out;
    }

    /** The provider with this id; {@code unknown_provider} if there is none. */
    public Provider provider(String id) {
        Provider p = id == null ? null : providers.get(id);
        if (p == null) {
            throw AccountsException.of(ErrorCode.UNKNOWN_PROVIDER, "There is no such sign-in provider here.");
        }
        return p;
    }

    /** The authorization URL of provider {@code id} for one flow; {@code fresh} asks for a fresh login. */
    public String authorizationUrl(String id, String state, String nonce, String codeVerifier, boolean fresh) {
        provider(id);
        return clients.get(id).authorizationUrl(state, nonce, codeVerifier, fresh).toString();
    }

    /**
     * Judges the callback's {@code parameters} (single-valued, checked by the caller) for provider {@code id}: an
     * {@code error} from the provider, an {@code iss} that is not its issuer (mix-up), a missing code; then exchanges
     * the code and validates the answer. {@link ProviderFailure} for any failure. {@code freshSince} non-null: the
     * login at the provider must be no older (a re-authentication).
     */
    public ProviderIdentity identity(String id, Map<String, String> parameters, String codeVerifier, String nonce,
                                     Instant freshSince) {
        provider(id);
        ProviderClient client = clients.get(id);
        String error = parameters.get("error");
        if (error != null) {
            throw new ProviderFailure("access_denied".equals(error) ? ProviderFailure.ACCESS_DENIED
                    : ProviderFailure.PROVIDER_ERROR, "provider " + id + " answered with error " + printable(error));
        }
        String iss = parameters.get("iss");
        if (iss != null ? !iss.equals(client.responseIssuer()) : client.requiresResponseIssuer()) {
            throw ProviderFailure.of("the callback of provider " + id + " named issuer " + printable(iss)
                    + ", not " + client.responseIssuer());
        }
        String code = parameters.get("code");
        if (code == null || code.isBlank()) {
            throw ProviderFailure.of("the callback of provider " + id + " carried no code");
        }
        return client.identity(code, codeVerifier, nonce, freshSince);
    }

    /** A value a client sent, safe for a log line: short, printable ASCII only. */
    private static String printable(String s) {
        if (s == null) {
            return "none";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
