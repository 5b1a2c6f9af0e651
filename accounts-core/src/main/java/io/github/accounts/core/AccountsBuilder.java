// Over 300 lines: one documented option per host setting (keys, mail, passkeys, TOTP, webhooks, housekeeping) and the fail-closed build.
package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.config.SecondFactorPolicy;
import io.github.accounts.core.event.AccountEventListener;
import io.github.accounts.core.federation.FederationSettings;
import io.github.accounts.core.mail.MailTemplates;
import io.github.accounts.core.mail.Mailer;
import io.github.accounts.core.mail.Notifications;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.mfa.TotpKeys;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.webhook.WebhookPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Builds {@link Accounts}; defaults: {@link AccountsConfig#originalDesign()}, the UTC system clock, a mailer that
 * drops mail (with one WARN at build time), expired rows purged every {@link #DEFAULT_PURGE_EVERY}. It fails closed:
 * without a {@link #secret host secret} (or at least a {@link #throttleSecret throttle secret}) {@link #build()}
 * refuses, unless the host asks for throw-away {@link #developmentKeys()}. Not thread-safe.
 */
public final class AccountsBuilder {
    private static final Logger log = LoggerFactory.getLogger(Accounts.class);

    /** How often expired rows are purged unless {@link #purgeEvery} says otherwise. */
    public static final Duration DEFAULT_PURGE_EVERY = Duration.ofMinutes(5);

    final EntityManagerFactory emf;
    final DataSource dataSource;
    AccountsConfig config = AccountsConfig.originalDesign();
    Clock clock = Clock.systemUTC();
    Mailer mailer;
    Duration purgeEvery = DEFAULT_PURGE_EVERY;
    ThrottleKeys throttleKeys;
    final List<AccountEventListener> eventListeners = new ArrayList<>();
    Duration eventRetention = Duration.ofDays(90);
    int eventQueue = 10_000;
    MeterRegistry meterRegistry;
    Notifications notifications = Notifications.all();
    PasskeyConfig passkeys;
    byte[] totpKey;
    final List<byte[]> olderTotpKeys = new ArrayList<>();
    String totpIssuer = "accounts";
    FederationSettings federation;
    byte[] webhookKey;
    final List<byte[]> olderWebhookKeys = new ArrayList<>();
    WebhookPolicy webhookPolicy = WebhookPolicy.strict();
    boolean emailSignIn = true;
    URI publicUrl;
    MailTemplates mailTemplates;
    final Map<MailTemplates.Kind, URI> mailPages = new EnumMap<>(MailTemplates.Kind.class);
    HostSecret secret;
    boolean webhooksFromSecret;

    AccountsBuilder(EntityManagerFactory emf, DataSource dataSource) {
        this.emf = emf;
        this.dataSource = dataSource;
    }

    /** The configuration: lifetimes, password policy, hashing, throttling; default the original design's. */
    public AccountsBuilder config(AccountsConfig value) {
        this.config = Objects.requireNonNull(value, "null config");
        return this;
    }

    /** The clock every lifetime is counted on; default the UTC system clock. */
    public AccountsBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "null clock");
        return this;
    }

    /** Where reset, verification and notice mail goes; without one it is dropped, with a WARN at build time. */
    public AccountsBuilder mailer(Mailer value) {
        this.mailer = Objects.requireNonNull(value, "null mailer");
        return this;
    }

    /**
     * The secret throttle keys are an HMAC under (at least 32 bytes, e.g. from the host's secret store), so the
     * throttle table cannot be reversed by hashing guesses and throttling holds across restarts and instances.
     * Without one it is derived from the {@link #secret host secret}; without either, {@link #build()} refuses.
     */
    public AccountsBuilder throttleSecret(byte[] value) {
        this.throttleKeys = new ThrottleKeys(value);
        return this;
    }

    /**
     * The host's one secret, from which every key not given on its own is derived: the throttle secret, the TOTP
     * keys (so TOTP is offered; its previous secrets' keys still open what they sealed), the webhook key when
     * {@link #webhooks(WebhookPolicy)} turns webhooks on, and accounts-web's CSRF key ({@link Accounts#secret()}).
     */
    public AccountsBuilder secret(HostSecret value) {
        this.secret = Objects.requireNonNull(value, "null secret");
        return this;
    }

    /**
     * Throw-away keys of this process ({@link HostSecret#development()}), for development and tests only: CSRF
     * tokens, throttles and sealed TOTP secrets then break at every restart; logs a WARN at each start.
     */
    public AccountsBuilder developmentKeys() {
        return secret(HostSecret.development());
    }

    /**
     * Whether users may sign in with a link or code mailed to them ({@link Accounts#emailSignIn}); default on.
     * Off, its methods answer {@code not_found} (accounts-web's routes then answer 404, as unmounted ones do).
     */
    public AccountsBuilder emailSignIn(boolean on) {
        this.emailSignIn = on;
        return this;
    }

    /**
     * The page mails link to (the host's public URL, e.g. {@code https://app.example}): an email sign-in link is
     * {@code {publicUrl}/#email-sign-in-token=...}, a reset link {@code {publicUrl}/#reset-token=...} (see
     * {@link MailTemplates.Kind}). Without one, a sign-in mail carries its code alone and the others a bare token.
     */
    public AccountsBuilder publicUrl(URI value) {
        Objects.requireNonNull(value, "null publicUrl");
        if (!value.isAbsolute() || value.getHost() == null) {
            throw new IllegalArgumentException("publicUrl must be an absolute URL with a host, was " + value);
        }
        this.publicUrl = value;
        return this;
    }

    /**
     * The host's wording of the mails, per kind and locale (see {@link MailTemplates}); without it, accounts' own
     * English. {@link #build()} checks each template's placeholders.
     */
    public AccountsBuilder mailTemplates(MailTemplates value) {
        this.mailTemplates = Objects.requireNonNull(value, "null mailTemplates");
        return this;
    }

    /**
     * The page the link of mails of {@code kind} opens, e.g. {@code https://app.example/reset} for a reset link
     * {@code https://app.example/reset#reset-token=...}; by default the {@link #publicUrl}'s {@code /}.
     */
    public AccountsBuilder mailPage(MailTemplates.Kind kind, URI page) {
        Objects.requireNonNull(kind, "null kind");
        Objects.requireNonNull(page, "null page");
        if (kind.fragment() == null) {
            throw new IllegalArgumentException(kind + " mails carry no link");
        }
        if (!page.isAbsolute() || page.getHost() == null || page.getRawFragment() != null) {
            throw new IllegalArgumentException("A mail page must be an absolute URL with a host and no fragment, was "
                    + page);
        }
        mailPages.put(kind, page);
        return this;
    }

    /** Purges expired sessions, tokens and throttle entries on a daemon thread this often (default 5 minutes). */
    public AccountsBuilder purgeEvery(Duration value) {
        Objects.requireNonNull(value, "null purgeEvery");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("purgeEvery must be positive, not " + value
                    + "; call housekeeping(false) to purge only when you call purgeExpired()");
        }
        this.purgeEvery = value;
        return this;
    }

    /** {@code false} turns the background purge off; the host then calls {@link Accounts#purgeExpired} itself. */
    public AccountsBuilder housekeeping(boolean on) {
        this.purgeEvery = on ? (purgeEvery != null ? purgeEvery : DEFAULT_PURGE_EVERY) : null;
        return this;
    }

    Mailer mailer() {
        if (mailer != null) {
            return mailer;
        }
        log.warn("No Mailer given (AccountsBuilder.mailer(...)): password-reset and email-verification mail is "
                + "dropped, though the routes still answer 202");
        return (to, subject, body) -> {
        };
    }

    /**
     * Adds a listener told of every account event after its transaction commits, on accounts' event thread; up
     * to 10,000 events wait for the listeners, beyond that they are dropped (see {@link io.github.accounts.core.event.Events#dropped()}).
     */
    public AccountsBuilder eventListener(AccountEventListener value) {
        eventListeners.add(Objects.requireNonNull(value, "null listener"));
        return this;
    }

    /** How long events are kept before {@link Accounts#purgeExpired()} deletes them; default 90 days. */
    public AccountsBuilder eventRetention(Duration value) {
        Objects.requireNonNull(value, "null retention");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("The event retention must be positive, not " + value);
        }
        this.eventRetention = value;
        return this;
    }

    /**
     * Registers accounts' meters in {@code value} (they leave it with {@link Accounts#close}):
     * {@code accounts.sign_ins}, {@code accounts.sign_ups} and {@code accounts.refreshes} by {@code outcome}
     * (sign-ins also by {@code method}, the credential presented), the {@code accounts.password.hash} timer, and the gauges {@code accounts.password.hash.queue} and
     * {@code accounts.sessions.active} (counted at each {@link Accounts#purgeExpired}, never per scrape).
     * Without a registry nothing is measured and Micrometer need not be on the class path.
     */
    public AccountsBuilder meterRegistry(MeterRegistry value) {
        this.meterRegistry = Objects.requireNonNull(value, "null meterRegistry");
        return this;
    }

    /** Which security notices are mailed to users; default {@link Notifications#all()}. */
    public AccountsBuilder notifications(Notifications value) {
        this.notifications = Objects.requireNonNull(value, "null notifications");
        return this;
    }

    /**
     * Turns passkeys on for this relying party (RP ID, name, allowed origins). Without it, every passkey method
     * answers {@code not_found} (so do the passkey routes), with one WARN at build time.
     */
    public AccountsBuilder passkeys(PasskeyConfig value) {
        this.passkeys = Objects.requireNonNull(value, "null passkeys");
        return this;
    }

    /**
     * The keys TOTP secrets are sealed under (AES-256-GCM) and recovery codes digested with: {@code current}
     * (32 random bytes from the host's secret store) for everything new, {@code older} ones still accepted; a
     * secret under an older key is sealed again under the current one when next used. Each key is stored as its
     * fingerprint beside what it sealed. Without any, they are derived from the {@link #secret host secret}; with
     * neither, TOTP is not offered (its methods answer {@code not_found}, with one WARN at build time).
     */
    public AccountsBuilder totpKeys(byte[] current, List<byte[]> older) {
        Objects.requireNonNull(current, "null current key");
        Objects.requireNonNull(older, "null older keys");
        new TotpKeys(current, older); // checks the sizes now
        this.totpKey = current.clone();
        this.olderTotpKeys.clear();
        older.forEach(k -> olderTotpKeys.add(k.clone()));
        return this;
    }

    /** The issuer authenticator apps show beside the account (the {@code otpauth} URI's); default "accounts". */
    public AccountsBuilder totpIssuer(String value) {
        Objects.requireNonNull(value, "null issuer");
        if (value.isBlank() || value.contains(":")) {
            throw new IllegalArgumentException("The TOTP issuer must be non-blank and hold no ':', was '"
                    + value + "'");
        }
        this.totpIssuer = value;
        return this;
    }

    /**
     * Turns federated sign-in on with these providers (OpenID Connect ones are discovered when {@link #build()} runs,
     * which fails naming a provider whose discovery fails, unless the settings leave such a one out). Without it,
     * no provider is offered.
     */
    public AccountsBuilder federation(FederationSettings value) {
        this.federation = Objects.requireNonNull(value, "null federation");
        return this;
    }

    /**
     * Turns webhooks on: their signing secrets are sealed under {@code key} (32 random bytes from the host's secret
     * store, AES-256-GCM), and {@code policy} says where deliveries may go ({@link WebhookPolicy#strict()} in
     * production). Without it, {@link Accounts#webhooks()} answers {@code not_found}. The delivery worker runs with
     * the housekeeping ({@link #housekeeping}); without it the host calls {@code accounts.webhooks().deliverDue()}.
     */
    public AccountsBuilder webhooks(byte[] key, WebhookPolicy policy) {
        return webhooks(key, List.of(), policy);
    }

    /**
     * {@link #webhooks(byte[], WebhookPolicy)} while rotating the webhook key: {@code key} seals new secrets, and
     * secrets sealed under one of {@code olderKeys} (32 bytes each) still open; the housekeeping seals them again
     * under {@code key}, after which (every instance having run a purge) the older keys can be dropped.
     */
    public AccountsBuilder webhooks(byte[] key, List<byte[]> olderKeys, WebhookPolicy policy) {
        Objects.requireNonNull(key, "null key");
        Objects.requireNonNull(olderKeys, "null olderKeys");
        for (byte[] k : Stream.concat(Stream.of(key), olderKeys.stream()).toList()) {
            if (k == null || k.length != 32) {
                throw new IllegalArgumentException("A webhook key must be 32 bytes, was "
                        + (k == null ? "null" : k.length + " bytes"));
            }
        }
        this.webhookKey = key.clone();
        this.olderWebhookKeys.clear();
        olderKeys.forEach(k -> olderWebhookKeys.add(k.clone()));
        this.webhookPolicy = Objects.requireNonNull(policy, "null policy");
        return this;
    }

    /**
     * Turns webhooks on with their signing secrets sealed under the key derived from the {@link #secret host
     * secret} (the previous secrets' keys still open what they sealed), and deliveries going where {@code policy}
     * allows.
     */
    public AccountsBuilder webhooks(WebhookPolicy policy) {
        this.webhookPolicy = Objects.requireNonNull(policy, "null policy");
        this.webhooksFromSecret = true;
        return this;
    }

    SecondFactor secondFactor() {
        if (totpKey != null) {
            return new SecondFactor(new TotpKeys(totpKey, olderTotpKeys));
        }
        log.warn("No TOTP key given (AccountsBuilder.totpKeys(...)): the second factor is not offered, and its "
                + "routes answer 404");
        return null;
    }

    /** The service, after checking that the settings fit together (a required second factor needs a TOTP key). */
    public Accounts build() {
        deriveFromSecret();
        if (config.secondFactor().required() && totpKey == null) {
            throw new IllegalStateException("The " + config.profile() + " profile requires a second factor: give "
                    + "AccountsBuilder.totpKeys(...) a key, or turn the requirement off with "
                    + "config.withSecondFactor(SecondFactorPolicy.optional())");
        }
        if (passkeys == null) {
            log.warn("No passkey relying party given (AccountsBuilder.passkeys(...)): passkey routes answer 404");
        }
        return new Accounts(this);
    }

    /** Fills the keys the host did not give from its secret; refuses without either. */
    private void deriveFromSecret() {
        if (secret == null) {
            if (throttleKeys == null) {
                throw new IllegalStateException("No host secret: give AccountsBuilder.secret(HostSecret.decode(...))"
                        + " (at least 32 random bytes, the same on every instance), or call developmentKeys() for"
                        + " throw-away keys in development and tests");
            }
            if (webhooksFromSecret && webhookKey == null) {
                throw new IllegalStateException("webhooks(policy) derives its key from the host secret: give "
                        + "AccountsBuilder.secret(...), or the key itself with webhooks(key, policy)");
            }
            return;
        }
        if (throttleKeys == null) {
            throttleKeys = new ThrottleKeys(secret.key(HostSecret.THROTTLE));
        }
        if (totpKey == null) {
            totpKeys(secret.key(HostSecret.TOTP), secret.previousKeys(HostSecret.TOTP));
        }
        if (webhooksFromSecret && webhookKey == null) {
            webhooks(secret.key(HostSecret.WEBHOOKS), secret.previousKeys(HostSecret.WEBHOOKS), webhookPolicy);
        }
    }
}
