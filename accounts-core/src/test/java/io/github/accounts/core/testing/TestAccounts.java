package io.github.accounts.core.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsBuilder;
import io.github.accounts.core.HostSecret;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.HashingParams;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.mail.Mailer;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.webhook.WebhookPolicy;
import jakarta.persistence.EntityManagerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link Accounts} on a fresh migrated test database, with a {@link MutableClock}, a capturing mailer and
 * cheap hashing parameters (the real ones are tested on their own). Close it after the tests.
 */
public final class TestAccounts implements AutoCloseable {
    /** Argon2id at a small cost so that suites with hundreds of hashes stay quick. */
    public static final HashingParams CHEAP_HASHING = new HashingParams(1024, 1, 1, 4, 256);

    /** The throttle secret of every test instance, so tests can compute the keys with {@link #throttleKeys()}. */
    public static final byte[] THROTTLE_SECRET = "a throttle secret for tests only, 32+ bytes".getBytes(StandardCharsets.UTF_8);

    /**
     * The host secret of every test instance: the keys given one by one below take precedence, so it supplies
     * accounts-web's CSRF key (and a fixed secret for tests that build accounts of their own).
     */
    public static final HostSecret SECRET = HostSecret.of(
            "a host secret for tests only, at least 32 bytes".getBytes(StandardCharsets.UTF_8), List.of());

    /** The relying party of every test instance; {@link #authenticator()} speaks for it. */
    public static final PasskeyConfig PASSKEYS = PasskeyConfig.of("accounts.test", "Accounts tests",
            Set.of("https://accounts.test"));
    /** The TOTP key of every test instance (32 bytes), so tests can open what it sealed. */
    /** Where mailed links point. */
    public static final java.net.URI PUBLIC_URL = java.net.URI.create("https://accounts.test");
    public static final byte[] TOTP_KEY = "a TOTP key for tests only, 32 b.".getBytes(StandardCharsets.UTF_8);
    /** The webhook key of every test instance (32 bytes); deliveries may go to loopback receivers of the tests. */
    public static final byte[] WEBHOOK_KEY = "a webhook key for tests only, 32".getBytes(StandardCharsets.UTF_8);

    public final TestDatabase database;
    public final HikariDataSource dataSource;
    public final EntityManagerFactory emf;
    public final MutableClock clock = MutableClock.startingNow();
    public final List<Mail> mails = new CopyOnWriteArrayList<>();
    public final Accounts accounts;

    /** One email as the capturing mailer saw it. */
    public record Mail(String to, String subject, String body) {
        /** The token in the body: the last whitespace-separated word that looks like one. */
        public String token() {
            String[] words = body.split("\\s+");
            for (int i = words.length - 1; i >= 0; i--) {
                if (words[i].matches("[A-Za-z0-9_-]{43}")) {
                    return words[i];
                }
            }
            throw new AssertionError("No token in mail: " + body);
        }

        /** Whether this is a security notice (they say when and from where), which comes after an event. */
        public boolean isNotice() {
            return body.contains("\nWhen: ") && body.contains("\nFrom: ");
        }
    }

    /**
     * The fixture of suites driven over HTTP: they sign up dozens of users a minute from one loopback address, so
     * the per-address sign-up limit is lifted here (SignUpTest tests the limit itself, on the default config).
     */
    public TestAccounts(TestDatabase database) {
        this(database, AccountsConfig.originalDesign().withHashing(CHEAP_HASHING).withThrottling(AccountsConfig
                .originalDesign().throttling().withSignUps(new ThrottleLimits.Rate(10_000, Duration.ofMinutes(1)))));
    }

    public TestAccounts(TestDatabase database, AccountsConfig config) {
        this(database, config, UnaryOperator.identity());
    }

    /** With {@code more} applied to the builder last (federation settings, say). */
    public TestAccounts(TestDatabase database, AccountsConfig config, UnaryOperator<AccountsBuilder> more) {
        this.database = database;
        this.dataSource = database.freshMigratedDataSource();
        this.emf = Accounts.entityManagerFactory(dataSource, Map.of("hibernate.hbm2ddl.auto", "validate"));
        Mailer capture = (to, subject, body) -> mails.add(new Mail(to, subject, body));
        this.accounts = more.apply(Accounts.builder(emf).config(config).clock(clock).mailer(capture)
                .secret(SECRET).throttleSecret(THROTTLE_SECRET).passkeys(PASSKEYS)
                .totpKeys(TOTP_KEY, List.of()).webhooks(WEBHOOK_KEY, WebhookPolicy.allowingPrivateNetworks())
                .publicUrl(PUBLIC_URL)).build();
    }

    /** A software authenticator speaking from the allowed origin for the RP ID of {@link #PASSKEYS}. */
    public static SoftAuthenticator authenticator() {
        return new SoftAuthenticator("https://accounts.test", "accounts.test");
    }

    /** The keys this fixture's throttle rows are stored under. */
    public static ThrottleKeys throttleKeys() {
        return new ThrottleKeys(THROTTLE_SECRET);
    }

    /**
     * The last mail sent to {@code to} other than a security notice, waiting briefly since mail goes out on a
     * background thread.
     */
    public Mail lastMailTo(String to) {
        for (int i = 0; i < 200; i++) {
            for (int j = mails.size() - 1; j >= 0; j--) {
                if (mails.get(j).to().equals(to) && !mails.get(j).isNotice()) {
                    return mails.get(j);
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("No mail to " + to);
    }

    @Override
    public void close() {
        accounts.close();
        emf.close();
        dataSource.close();
    }
}
