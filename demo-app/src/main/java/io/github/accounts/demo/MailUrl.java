package io.github.accounts.demo;

import io.github.accounts.core.mail.Mailer;
import io.github.accounts.mail.smtp.SmtpMailer;
import io.github.accounts.mail.smtp.SmtpSettings.Security;
import io.github.accounts.mail.smtp.SmtpSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How demo-app sends mail, from {@code MAIL_URL} and {@code MAIL_FROM}: over SMTP ({@code smtp://} with STARTTLS,
 * {@code smtps://} with implicit TLS) or to the log ({@code log:}). {@link #toString()} is {@link #description()},
 * which never holds a password. Immutable.
 *
 * @param smtp        the SMTP server; empty for the log mailer
 * @param description e.g. {@code SMTP (STARTTLS) at mail.example.com:587 as mailer}, or {@code the log}
 */
record MailUrl(Optional<SmtpSettings> smtp, String description) {
    static final String EXAMPLE = "smtp://user:password@host:587?starttls=true";
    static final MailUrl LOG = new MailUrl(Optional.empty(), "the log");
    private static final Set<String> PARAMETERS = Set.of("starttls", "timeout");

    MailUrl {
        Objects.requireNonNull(smtp, "null smtp");
        Objects.requireNonNull(description, "null description");
    }

    /**
     * {@code MAIL_URL} as set ({@code url} empty when unset) in {@code environment}: unset means the log in
     * development and testing and stops start-up in staging and production. Messages never repeat the URL,
     * which may hold a password.
     */
    static MailUrl from(String url, String from, Environment environment) {
        if (url.isEmpty()) {
            if (environment == Environment.STAGING || environment == Environment.PRODUCTION) {
                throw Failure.usage("MAIL_URL is required when APP_SETTINGS=" + environment.label() + ": "
                        + EXAMPLE + ", smtps://user:password@host:465, or log: for no real mail");
            }
            return LOG;
        }
        if (url.equals("log:")) {
            return LOG;
        }
        return smtp(url, from);
    }

    /** The mailer for these settings; an SMTP one is held by {@code app}, which closes it. */
    Mailer start(RunningApp app, Environment environment) {
        return smtp.<Mailer>map(s -> app.hold(SmtpMailer.create(s)))
                .orElseGet(() -> new LogMailer(environment.logsMailBodies()));
    }

    @Override
    public String toString() {
        return description;
    }

    private static MailUrl smtp(String url, String from) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw bad();
        }
        String scheme = String.valueOf(uri.getScheme());
        if (!scheme.equals("smtp") && !scheme.equals("smtps") || uri.getHost() == null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw bad();
        }
        Map<String, String> query = query(uri.getRawQuery());
        boolean implicitTls = scheme.equals("smtps");
        if (implicitTls && query.containsKey("starttls")) {
            throw Failure.usage("MAIL_URL: smtps:// is TLS from the start; starttls applies to smtp:// only");
        }
        Security security = implicitTls ? Security.TLS : switch (query.getOrDefault("starttls", "true")) {
            case "true" -> Security.STARTTLS;
            case "false" -> Security.NONE;
            default -> throw Failure.usage("MAIL_URL: starttls must be true or false");
        };
        int port = uri.getPort() == -1 ? (implicitTls ? 465 : 587) : uri.getPort();
        if (from.isEmpty()) {
            throw Failure.usage("MAIL_FROM is required with an SMTP MAIL_URL: the sender's address, e.g. "
                    + "Accounts <accounts@example.com>");
        }
        SmtpSettings settings;
        try {
            settings = SmtpSettings.of(uri.getHost(), port, security, from).withTimeout(timeout(query));
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("SmtpSettings.security")) {
                throw Failure.usage("MAIL_URL: starttls=false would send mail in clear text beyond this host; use "
                        + "starttls=true or smtps:// (a plain relay only on localhost)");
            }
            throw Failure.usage("MAIL_FROM must be one email address, e.g. Accounts <accounts@example.com>");
        }
        String user = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw Failure.usage("MAIL_URL: give both user and password (user:password@host), or neither");
            }
            user = decode(parts[0]);
            try {
                settings = settings.withLogin(user, decode(parts[1]));
            } catch (IllegalArgumentException e) {
                throw Failure.usage("MAIL_URL: starttls=false would send the password in clear text beyond this "
                        + "host; use starttls=true or smtps://");
            }
        }
        return new MailUrl(Optional.of(settings), "SMTP (" + security + ") at " + uri.getHost() + ":" + port
                + (user.isEmpty() ? "" : " as " + user) + ", from " + settings.from());
    }

    private static Duration timeout(Map<String, String> query) {
        String value = query.getOrDefault("timeout", "5");
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 1 && seconds <= 300) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Failure.usage("MAIL_URL: timeout must be whole seconds from 1 to 300");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || !PARAMETERS.contains(kv[0])) {
                throw Failure.usage("MAIL_URL takes the parameters starttls=true|false and timeout=<seconds> only");
            }
            query.put(kv[0], decode(kv[1]).toLowerCase(java.util.Locale.ROOT));
        }
        return query;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Failure bad() {
        return Failure.usage("MAIL_URL must look like " + EXAMPLE + ", smtps://user:password@host:465, or log:");
    }
}
