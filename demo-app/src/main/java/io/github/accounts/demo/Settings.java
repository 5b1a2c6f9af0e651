package io.github.accounts.demo;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.config.ReauthenticationWindows;
import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything demo-app takes from its environment, as one immutable value. {@link #variables} is the one place
 * that reads variables (the process environment over a {@code .env} file), {@link #from} the one place that
 * interprets them; every bad value stops start-up with a {@link Failure} naming the variable. Immutable.
 *
 * <table>
 * <caption>Variables</caption>
 * <tr><td>APP_SETTINGS</td><td>development (default), testing, staging, production: see {@link Environment}</td></tr>
 * <tr><td>DATABASE_URL</td><td>postgresql://user:password@host:5432/db (or postgres://), or a jdbc:postgresql:
 * or jdbc:h2: URL; required in staging and production</td></tr>
 * <tr><td>HOST</td><td>address to listen on, default 0.0.0.0</td></tr>
 * <tr><td>PORT</td><td>port to listen on, default 5000; 0 picks a free one</td></tr>
 * <tr><td>ACCOUNTS_PROFILE</td><td>security profile: original-design (default) or asvs-level-2</td></tr>
 * <tr><td>DATABASE_POOL_SIZE</td><td>connections in the pool, default 2 per core + 1</td></tr>
 * <tr><td>TRUSTED_PROXIES</td><td>comma-separated addresses of proxies whose X-Forwarded-For is believed</td></tr>
 * <tr><td>ALLOWED_ORIGINS</td><td>comma-separated origins allowed to call /accounts from other sites (CORS)</td></tr>
 * <tr><td>SECRET_KEY</td><td>the key other secrets derive from: see {@link SecretKey}; required in staging and
 * production; development keeps one in {@code ./data/secret.key}, testing makes one per start</td></tr>
 * <tr><td>SECRET_KEY_PREVIOUS</td><td>comma-separated earlier SECRET_KEYs, after a rotation: what was sealed under
 * them (TOTP secrets) still opens, and is sealed again under SECRET_KEY when next used</td></tr>
 * <tr><td>PUBLIC_URL</td><td>the URL browsers reach the server at; its origin is the only one cookie sessions
 * accept (default: each request's own)</td></tr>
 * <tr><td>INSECURE_COOKIES</td><td>true: session cookies without Secure, for plain HTTP beyond localhost;
 * development and testing only</td></tr>
 * <tr><td>ADMIN_EMAILS</td><td>comma-separated emails of operators (/admin/accounts), once verified</td></tr>
 * <tr><td>MAIL_URL</td><td>smtp://user:password@host:587?starttls=true, smtps://user:password@host:465, or log:;
 * unset: the log in development and testing, required in staging and production: see {@link MailUrl}</td></tr>
 * <tr><td>MAIL_FROM</td><td>the sender's address, required with an SMTP MAIL_URL</td></tr>
 * <tr><td>MANAGEMENT_PORT</td><td>when set, Prometheus text at /metrics on this port of 127.0.0.1 (0 picks a free
 * one, logged); unset: no such listener, in every environment</td></tr>
 * <tr><td>REAUTH_WINDOW_SECONDS</td><td>how long a re-authentication lets a session add a passkey, default 300</td></tr>
 * <tr><td>SIGN_IN_WINDOW_SECONDS</td><td>how long a sign-in or re-authentication lets a session remove a passkey,
 * default 600</td></tr>
 * <tr><td>WEBHOOKS_ALLOW_PRIVATE</td><td>true: webhooks may use plain http: and loopback, private and link-local
 * addresses (a receiver on this machine); development and testing only, default false</td></tr>
 * </table>
 */
record Settings(Environment environment, String host, int port, DatabaseUrl database, int poolSize,
                String accountsProfile, Set<String> trustedProxies, Set<String> allowedOrigins, SecretKey secretKey,
                Optional<URI> publicUrl, boolean insecureCookies, Set<String> adminEmails,
                MailUrl mail, OptionalInt managementPort, List<SecretKey> previousSecretKeys,
                ReauthenticationWindows reauthentication, boolean webhooksAllowPrivate) {
    /** Where development keeps its generated key, beside its H2 file. */
    static final Path DEVELOPMENT_KEY_FILE = Path.of("data", "secret.key");

    Settings {
        Objects.requireNonNull(environment, "null environment");
        Objects.requireNonNull(host, "null host");
        Objects.requireNonNull(database, "null database");
        Objects.requireNonNull(accountsProfile, "null accountsProfile");
        trustedProxies = Set.copyOf(trustedProxies);
        allowedOrigins = Set.copyOf(allowedOrigins);
        Objects.requireNonNull(secretKey, "null secretKey");
        Objects.requireNonNull(publicUrl, "null publicUrl");
        Objects.requireNonNull(mail, "null mail");
        Objects.requireNonNull(managementPort, "null managementPort");
        previousSecretKeys = List.copyOf(previousSecretKeys);
        Objects.requireNonNull(reauthentication, "null reauthentication");
        adminEmails = adminEmails.stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether a signed-in user is an operator: their email is in ADMIN_EMAILS (the admin routes themselves then
     * refuse one not yet verified, 409 {@code email_not_verified}).
     */
    boolean isOperator(Authenticated who) {
        return adminEmails.contains(who.user().email());
    }

    /**
     * The variables of a process started in {@code workingDir}: its {@code .env} file if there is one, with the
     * real environment variables winning over it.
     */
    static Map<String, String> variables(Path workingDir, Map<String, String> processEnvironment) {
        Map<String, String> merged = new HashMap<>();
        if (Files.isRegularFile(workingDir.resolve(".env"))) {
            try {
                Dotenv file = Dotenv.configure().directory(workingDir.toAbsolutePath().toString()).load();
                for (DotenvEntry entry : file.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
                    merged.put(entry.getKey(), entry.getValue());
                }
            } catch (DotenvException e) {
                // Not repeating the line: it may hold a password.
                throw Failure.usage("The .env file in " + workingDir.toAbsolutePath().normalize()
                        + " has a malformed line; each line must be NAME=value or a # comment");
            }
        }
        merged.putAll(processEnvironment);
        return merged;
    }

    /** Interprets the variables; unset or blank ones take their defaults. */
    static Settings from(Map<String, String> variables) {
        Environment environment = Environment.named(value(variables, "APP_SETTINGS", "development"));
        String url = value(variables, "DATABASE_URL", "");
        DatabaseUrl database = url.isEmpty() ? environment.defaultDatabase() : DatabaseUrl.parse(url);
        String profile = value(variables, "ACCOUNTS_PROFILE", "original-design");
        try {
            AccountsConfig.profile(profile);
        } catch (IllegalArgumentException e) {
            throw Failure.usage("ACCOUNTS_PROFILE must be original-design or asvs-level-2, not '" + profile + "'");
        }
        int defaultPool = 2 * Runtime.getRuntime().availableProcessors() + 1;
        Optional<URI> publicUrl = publicUrl(value(variables, "PUBLIC_URL", ""));
        return new Settings(environment,
                value(variables, "HOST", "0.0.0.0"),
                number(variables, "PORT", 5000, 0, 65_535),
                database,
                number(variables, "DATABASE_POOL_SIZE", defaultPool, 1, 1_000),
                profile,
                list(variables, "TRUSTED_PROXIES"),
                list(variables, "ALLOWED_ORIGINS"),
                secretKey(environment, value(variables, "SECRET_KEY", "")),
                publicUrl,
                insecureCookies(environment, value(variables, "INSECURE_COOKIES", "false"), publicUrl),
                list(variables, "ADMIN_EMAILS"),
                MailUrl.from(value(variables, "MAIL_URL", ""), value(variables, "MAIL_FROM", ""), environment),
                value(variables, "MANAGEMENT_PORT", "").isEmpty() ? OptionalInt.empty()
                        : OptionalInt.of(number(variables, "MANAGEMENT_PORT", 0, 0, 65_535)),
                list(variables, "SECRET_KEY_PREVIOUS").stream().map(SecretKey::decode).toList(),
                new ReauthenticationWindows(seconds(variables, "REAUTH_WINDOW_SECONDS", 300),
                        seconds(variables, "SIGN_IN_WINDOW_SECONDS", 600)),
                webhooksAllowPrivate(environment, value(variables, "WEBHOOKS_ALLOW_PRIVATE", "false")));
    }

    /** A window of whole seconds, from one second to a day. */
    private static Duration seconds(Map<String, String> variables, String name, int fallback) {
        return Duration.ofSeconds(number(variables, name, fallback, 1, 86_400));
    }

    /** {@code SECRET_KEY}; without it a key per start in testing, the one kept in a file in development. */
    private static SecretKey secretKey(Environment environment, String value) {
        if (!value.isEmpty()) {
            return SecretKey.decode(value);
        }
        return switch (environment) {
            case DEVELOPMENT -> SecretKey.keptIn(DEVELOPMENT_KEY_FILE);
            case TESTING -> SecretKey.random();
            case STAGING, PRODUCTION -> throw Failure.usage("SECRET_KEY is required when APP_SETTINGS="
                    + environment.label() + " (at least 32 random bytes as hex or base64, e.g. openssl rand -hex 32)");
        };
    }

    private static Optional<URI> publicUrl(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI url = new URI(value);
            if (List.of("http", "https").contains(String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT))
                    && url.getHost() != null && url.getRawUserInfo() == null) {
                return Optional.of(url);
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw Failure.usage("PUBLIC_URL must be the http:// or https:// URL browsers reach this server at, e.g. "
                + "https://accounts.example.com, not '" + value + "'");
    }

    /**
     * {@code INSECURE_COOKIES}: refused in staging and production; required in the others when {@code PUBLIC_URL}
     * is plain HTTP beyond loopback, where browsers would drop the {@code Secure} session cookies.
     */
    private static boolean insecureCookies(Environment environment, String value, Optional<URI> publicUrl) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw Failure.usage("INSECURE_COOKIES must be true or false, not '" + value + "'");
        }
        boolean insecure = value.equalsIgnoreCase("true");
        boolean production = environment == Environment.STAGING || environment == Environment.PRODUCTION;
        if (insecure && production) {
            throw Failure.usage("INSECURE_COOKIES=true is refused when APP_SETTINGS=" + environment.label()
                    + ": serve HTTPS (behind a proxy, set PUBLIC_URL=https://...)");
        }
        URI url = publicUrl.orElse(null);
        if (!insecure && url != null && url.getScheme().equalsIgnoreCase("http") && !loopback(url.getHost())) {
            throw Failure.usage("PUBLIC_URL " + url + " is plain HTTP beyond localhost, where browsers drop the "
                    + "session cookies (they are Secure): serve HTTPS"
                    + (production ? "" : ", or set INSECURE_COOKIES=true (development and testing only)"));
        }
        return insecure;
    }

    /** {@code WEBHOOKS_ALLOW_PRIVATE}: refused in staging and production, where webhooks must reach public HTTPS. */
    private static boolean webhooksAllowPrivate(Environment environment, String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw Failure.usage("WEBHOOKS_ALLOW_PRIVATE must be true or false, not '" + value + "'");
        }
        boolean allow = value.equalsIgnoreCase("true");
        if (allow && (environment == Environment.STAGING || environment == Environment.PRODUCTION)) {
            throw Failure.usage("WEBHOOKS_ALLOW_PRIVATE=true is refused when APP_SETTINGS=" + environment.label()
                    + ": webhooks there go to public https: URLs only");
        }
        return allow;
    }

    /** Loopback by name or literal address, without asking DNS. */
    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("[::1]")
                || h.matches("127\\.\\d+\\.\\d+\\.\\d+");
    }

    private static String value(Map<String, String> variables, String name, String fallback) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static int number(Map<String, String> variables, String name, int fallback, int min, int max) {
        String v = value(variables, name, Integer.toString(fallback));
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below, with the range
        }
        throw Failure.usage(name + " must be a whole number from " + min + " to " + max + ", not '" + v + "'");
    }

    private static Set<String> list(Map<String, String> variables, String name) {
        return Arrays.stream(value(variables, name, "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
