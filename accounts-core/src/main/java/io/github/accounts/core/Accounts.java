package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.email.EmailChange;
import io.github.accounts.core.emailsignin.EmailSignIn;
import io.github.accounts.core.event.Events;
import io.github.accounts.core.federation.Federation;
import io.github.accounts.core.mail.Mail;
import io.github.accounts.core.mfa.Mfa;
import io.github.accounts.core.export.DataExport;
import io.github.accounts.core.operator.Operators;
import io.github.accounts.core.webhook.Webhooks;
import io.github.accounts.core.passkey.Passkeys;
import io.github.accounts.core.profile.Profile;
import io.github.accounts.core.session.Sessions;
import io.github.accounts.core.signin.Reauthentication;
import io.github.accounts.core.signin.SignIns;
import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The accounts service, one small service per feature: {@link #signIns()}, {@link #sessions()}, {@link #profile()},
 * {@link #mail()} (password reset, email verification), {@link #emailChange()}, {@link #mfa()}, {@link #passkeys()},
 * {@link #reauthentication()}, {@link #events()} and {@link #operators()}. Build one per application with
 * {@link #builder(DataSource)}, or {@link #builder(EntityManagerFactory)} over a factory of the host's that knows
 * {@link #entityClasses()}, on a database migrated with {@link AccountsSchema} or {@link #CHANGELOG}. Every failure
 * is an {@link AccountsException}. Password hashing never runs inside a database transaction. It purges expired rows
 * itself every few minutes (see {@link AccountsBuilder#purgeEvery}) and mails the security notices of account events
 * (see {@link AccountsBuilder#notifications}). Thread-safe; close it on shutdown to stop its threads.
 */
public final class Accounts implements AutoCloseable {
    /** The classpath path of the Liquibase changelog that creates accounts' tables; include it from yours. */
    public static final String CHANGELOG = "io/github/accounts/core/db/changelog.xml";

    private final Wiring w;
    private final HostSecret secret;

    Accounts(AccountsBuilder b) {
        this.w = new Wiring(b);
        this.secret = b.secret;
    }

    /** Starts building the service over a factory of the host's, which must know {@link #entityClasses()}. */
    public static AccountsBuilder builder(EntityManagerFactory emf) {
        return new AccountsBuilder(Objects.requireNonNull(emf, "null emf"), null);
    }

    /**
     * Starts building the service over {@code dataSource}, for hosts without JPA of their own: accounts builds its
     * Hibernate factory over its entities itself and closes it with {@link #close}.
     */
    public static AccountsBuilder builder(DataSource dataSource) {
        return new AccountsBuilder(null, Objects.requireNonNull(dataSource, "null dataSource"));
    }

    /** The entity classes accounts maps; a host building its own factory must list them all. */
    public static List<Class<?>> entityClasses() {
        return Persistence.ENTITY_CLASSES;
    }

    /**
     * A Hibernate factory over {@code dataSource} that knows accounts' entities, for hosts that have no JPA setup
     * of their own. {@code properties} are passed on (e.g. {@code hibernate.hbm2ddl.auto=validate}). It makes no
     * lazy proxies, so it runs without ByteBuddy (other factories in the JVM keep theirs).
     */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource, Map<String, ?> properties) {
        return Persistence.factory(dataSource, properties);
    }

    /**
     * The host secret these accounts were built with ({@link AccountsBuilder#secret}), from which accounts-web
     * derives its CSRF key; empty when the host gave its keys one by one.
     */
    public Optional<HostSecret> secret() {
        return Optional.ofNullable(secret);
    }

    /** The configuration in force. */
    public AccountsConfig config() {
        return w.config;
    }

    /** Sign-up, sign-in with a password, and the second step. */
    public SignIns signIns() {
        return w.signIns;
    }

    /** Checking, rotating, listing and ending sessions. */
    public Sessions sessions() {
        return w.sessions;
    }

    /** The signed-in user's own account: read, rename, change the password, delete. */
    public Profile profile() {
        return w.profile;
    }

    /** Password reset and email verification, through the user's inbox. */
    public Mail mail() {
        return w.mail;
    }

    /** Moving an account to another email address. */
    public EmailChange emailChange() {
        return w.emailChange;
    }

    /** Signing in with a link or code mailed to the user's inbox; see {@link AccountsBuilder#emailSignIn}. */
    public EmailSignIn emailSignIn() {
        return w.emailSignIn;
    }

    /** The second factor: TOTP and recovery codes. */
    public Mfa mfa() {
        return w.mfa;
    }

    /** Passkeys: adding and removing them, and signing in with one. */
    public Passkeys passkeys() {
        return w.passkeys;
    }

    /** A signed-in session proving again that it is its user, before changes that need a recent proof. */
    public Reauthentication reauthentication() {
        return w.reauthentication;
    }

    /** A user's account events. */
    public Events events() {
        return w.events;
    }

    /** What operators do to other users' accounts; the host decides who is an operator. */
    public Operators operators() {
        return w.operators;
    }

    /** Sign-in with OpenID Connect providers and GitHub, and the identities linked to accounts. */
    public Federation federation() {
        return w.federation;
    }

    /**
     * The webhooks operators register ({@link AccountsBuilder#webhooks}); without a webhook key every method is
     * {@code not_found}.
     */
    public Webhooks webhooks() {
        return w.webhooks;
    }

    /** A user's own data as one JSON document, streamed. */
    public DataExport export() {
        return w.export;
    }

    /**
     * Loads the password-strength dictionaries and compiles password hashing in the background (some 30 hashes on
     * one hashing thread), so the first sign-ups and sign-ins after a start cost what later ones do: about 25 ms of
     * Argon2id rather than ~90 ms for a first hash, and no dictionary loading. Call it once the host is serving:
     * during start-up it competes for the same cores (on two cores, doing it in the builder made the demo's start
     * about 0.3 s slower). Without it, the first users warm it up.
     */
    public void warmUpInBackground() {
        Thread t = new Thread(() -> {
            w.passwordRules.loadDictionaries();
            w.hasher.warmUp();
        }, "accounts-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Deletes expired sessions, tokens, throttle entries, mail budgets and events past their retention in short
     * batches (no long locks), and mails the new-sign-in notices held past their hour; returns how many rows went.
     * With a {@link AccountsBuilder#meterRegistry} it then counts the active sessions for their gauge. The
     * housekeeping thread calls it every few minutes; hosts that turned that off call it themselves.
     */
    public int purgeExpired() {
        return w.housekeeping.purgeExpired();
    }

    /** How many password verifications have run, for metrics and for tests that unknown emails cost the same. */
    public long passwordVerifications() {
        return w.hasher.verifications();
    }

    /** How many password-strength estimates have run, for tests that invalid input never reaches them. */
    long passwordStrengthChecks() {
        return w.passwordRules.estimates();
    }

    /**
     * Stops the housekeeping, hashing and mail threads, then closes the factory {@link #builder(DataSource)} built;
     * a factory the host passed stays the host's to close.
     */
    @Override
    public void close() {
        w.housekeeping.close();
        w.hasher.close();
        w.outbox.close();
        if (w.webhookModule != null) {
            w.webhookModule.close();
        }
        w.events.close();
        w.metrics.close();
        if (w.ownsFactory && w.emf.isOpen()) {
            w.emf.close();
        }
    }

    /** The factory in use, for {@link AccountsSchema#validate}. */
    EntityManagerFactory entityManagerFactory() {
        return w.emf;
    }
}
