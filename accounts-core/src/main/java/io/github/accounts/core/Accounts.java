package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.config.ReauthenticationWindows;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.AccountEventListener;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.event.EventPage;
import io.github.accounts.core.federation.Federation;
import io.github.accounts.core.federation.ProviderClients;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.WithoutProxies;
import io.github.accounts.core.operator.Operators;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.metrics.SignInMethod;
import io.github.accounts.core.passkey.Passkeys;
import io.github.accounts.core.mfa.MfaChallenge;
import io.github.accounts.core.mfa.RecoveryCode;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.mfa.TotpCredential;
import io.github.accounts.core.password.PasswordHasher;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.LoginSession;
import io.github.accounts.core.session.RecentAuthentication;
import io.github.accounts.core.session.SessionStore;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleEntry;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.token.OneTimeToken;
import io.github.accounts.core.token.OneTimeTokens;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceConfiguration;
import jakarta.persistence.PersistenceUnitTransactionType;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The accounts service: sign-up, sign-in, sessions, profile, password change and reset, email verification and
 * change, passkeys, and the security notices mailed from account events (see {@link AccountsBuilder#notifications}).
 * Build one per application with {@link #builder(DataSource)}, or {@link #builder(EntityManagerFactory)} over a
 * factory of the host's that knows {@link #entityClasses()}, on a database migrated with {@link AccountsSchema} or
 * {@link #CHANGELOG}. Every failure is an {@link AccountsException}. Password hashing never runs inside a database
 * transaction. It purges expired rows itself every few minutes (see {@link AccountsBuilder#purgeEvery}).
 * Thread-safe; close it on shutdown to stop its hashing, mail and housekeeping threads.
 */
public final class Accounts implements AutoCloseable {
    /** The classpath path of the Liquibase changelog that creates accounts' tables; include it from yours. */
    public static final String CHANGELOG = "io/github/accounts/core/db/changelog.xml";

    private static final int PURGE_BATCH = 1_000;

    private final AccountsConfig config;
    private final Transactions tx;
    private final PasswordHasher hasher;
    private final PasswordRules passwordRules;
    private final SessionStore sessions;
    private final SignInThrottle throttle;
    private final SignInFlows signIns;
    private final ProfileFlows profiles;
    private final EmailFlows emailFlows;
    private final EntityManagerFactory emf;
    private final boolean ownsFactory;
    private final Housekeeping housekeeping;
    private final EventLog events;
    private final OperatorFlows operators;
    private final Metrics metrics;
    private final MailOutbox outbox;
    private final EmailChangeFlows emailChanges;
    private final SecurityNotices notices;
    private final MailBudget mailBudget;
    private final SignInNoticeBatches signInNotices;
    private final Passkeys passkeys;
    private final MfaFlows mfa;
    private final SecondStepFlows secondStep;
    private final Reauthentication reauthentication;
    private final FederationFlows federation;

    Accounts(AccountsBuilder b) {
        this.config = b.config;
        // Whole milliseconds: what clients see equals what the database keeps (it stores microseconds at best).
        Clock clock = Clock.tick(b.clock, Duration.ofMillis(1));
        this.ownsFactory = b.emf == null;
        this.emf = ownsFactory ? ownFactory(b.dataSource) : b.emf;
        this.tx = new Transactions(emf);
        Tokens tokens = new Tokens();
        // Micrometer's classes load only here, and only for a host that gave a registry.
        this.metrics = b.meterRegistry == null ? Metrics.NONE : Metrics.micrometer(b.meterRegistry);
        this.hasher = new PasswordHasher(config.hashing(), metrics);
        this.passwordRules = new PasswordRules(config.passwords());
        List<AccountEventListener> listeners = new ArrayList<>(b.eventListeners);
        if (!b.notifications.enabled().isEmpty()) {
            listeners.add(this::tellNotices);
        }
        this.events = new EventLog(tx, clock, b.eventRetention, listeners, b.eventQueue);
        ThrottleKeys keys = b.throttleKeys != null ? b.throttleKeys : ThrottleKeys.perProcess();
        this.mailBudget = new MailBudget(keys, clock);
        this.outbox = new MailOutbox(b.mailer(), tx, events, mailBudget);
        this.signInNotices = new SignInNoticeBatches(clock);
        this.notices = new SecurityNotices(b.notifications, tx, signInNotices, outbox);
        UserSessions userSessions = new UserSessions(tokens, config.sessions(), clock, events);
        this.sessions = new SessionStore(tx, tokens, config.sessions(), clock, userSessions, metrics);
        this.throttle = new SignInThrottle(config.throttling(), clock);
        PasswordConfirmation confirmation = new PasswordConfirmation(tx, hasher, throttle, keys);
        SecondFactor factor = b.secondFactor();
        this.passkeys = b.passkeys == null ? null
                : new Passkeys(tx, b.passkeys, tokens, clock, events, userSessions, throttle, keys);
        this.secondStep = new SecondStepFlows(tx, factor, passkeys, tokens, userSessions, throttle, keys, events,
                clock);
        this.reauthentication = new Reauthentication(tx, new RecentAuthentication(config.reauthentication(), clock),
                passwordRules, confirmation, factor, passkeys, throttle, keys, clock);
        this.mfa = new MfaFlows(tx, factor, passwordRules, confirmation, throttle, keys, events, userSessions,
                clock, b.totpIssuer);
        this.signIns = new SignInFlows(tx, hasher, passwordRules, userSessions, throttle, keys, config.throttling(),
                events, clock, secondStep);
        OneTimeTokens oneTimeTokens = new OneTimeTokens(tokens, clock);
        AccountRecovery recovery = new AccountRecovery(oneTimeTokens, userSessions, events, clock);
        this.profiles = new ProfileFlows(tx, hasher, passwordRules, confirmation, userSessions, events, recovery,
                clock);
        this.emailFlows = new EmailFlows(tx, hasher, passwordRules, userSessions, throttle, keys, config.throttling(),
                oneTimeTokens, outbox, config.tokens(), events, recovery, clock);
        this.emailChanges = new EmailChangeFlows(tx, passwordRules, confirmation, throttle, keys, config.throttling(),
                oneTimeTokens, outbox, config.tokens(), events, clock);
        this.operators = new OperatorFlows(tx, userSessions, throttle, keys, events, clock);
        this.federation = new FederationFlows(tx, b.federation == null ? ProviderClients.none()
                : new ProviderClients(b.federation), userSessions, secondStep, recovery, confirmation,
                reauthentication, passkeys, throttle, keys, events, clock);
        this.housekeeping = b.purgeEvery == null ? null : new Housekeeping(this::purgeExpired, b.purgeEvery);
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

    /**
     * The factory {@link #builder(DataSource)} builds: accounts' entities only, nothing printed (no SQL, no
     * statistics), no schema action (migrations create the tables; {@link AccountsSchema#validate} checks them).
     */
    private static EntityManagerFactory ownFactory(DataSource dataSource) {
        Map<String, Object> quiet = new HashMap<>();
        quiet.put("hibernate.show_sql", false);
        quiet.put("hibernate.format_sql", false);
        quiet.put("hibernate.highlight_sql", false);
        quiet.put("hibernate.generate_statistics", false);
        quiet.put("jakarta.persistence.schema-generation.database.action", "none");
        // Resource-local transactions only; said explicitly, Hibernate does not log that it found no JTA platform.
        quiet.put("hibernate.transaction.jta.platform",
                "org.hibernate.engine.transaction.jta.platform.internal.NoJtaPlatform");
        return entityManagerFactory(dataSource, quiet);
    }

    /** The entity classes accounts maps; a host building its own factory must list them all. */
    public static List<Class<?>> entityClasses() {
        return List.of(User.class, LoginSession.class, OneTimeToken.class, ThrottleEntry.class,
                TotpCredential.class, RecoveryCode.class, MfaChallenge.class);
    }

    /**
     * A Hibernate factory over {@code dataSource} that knows accounts' entities, for hosts that have no JPA setup
     * of their own. {@code properties} are passed on (e.g. {@code hibernate.hbm2ddl.auto=validate}). It makes no
     * lazy proxies, so it runs without ByteBuddy (other factories in the JVM keep theirs).
     */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource, Map<String, ?> properties) {
        Objects.requireNonNull(dataSource, "null dataSource");
        PersistenceConfiguration unit = new PersistenceConfiguration("accounts")
                .transactionType(PersistenceUnitTransactionType.RESOURCE_LOCAL)
                .property("jakarta.persistence.nonJtaDataSource", dataSource)
                .property("hibernate.jdbc.batch_size", 50)
                .property(WithoutProxies.SETTING, true)
                .properties(Map.copyOf(properties));
        entityClasses().forEach(unit::managedClass);
        return unit.createEntityManagerFactory();
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
            passwordRules.loadDictionaries();
            hasher.warmUp();
        }, "accounts-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The configuration in force. */
    public AccountsConfig config() {
        return config;
    }

    /** Registers a user and signs them in; {@code validation_failed} or {@code email_taken} otherwise. */
    public SignedIn signUp(NewUser input, ClientInfo client) {
        Objects.requireNonNull(input, "null input");
        return metrics.signUp(() -> signIns.signUp(input, ClientInfo.required(client)));
    }

    /**
     * Signs in with email and password, giving this device a new session; for a user with TOTP on, no session yet
     * but {@link SignedIn#mfaRequired()}, the step {@link #completeSignIn} completes. Unknown emails cost the same
     * hash as a wrong password and get the same {@code invalid_credentials}; repeated failures are
     * {@code throttled}.
     */
    public SignedIn signIn(String email, String password, ClientInfo client) {
        return metrics.signIn(SignInMethod.PASSWORD,
                () -> signIns.signIn(email, password, ClientInfo.required(client)));
    }

    /**
     * Completes a sign-in with the {@code mfa_token} of {@link SignedIn#mfaRequired()} and a TOTP or recovery code:
     * the session, or {@code invalid_mfa_token}, {@code invalid_mfa_code} (counted like a wrong password),
     * {@code throttled}, {@code account_disabled}.
     */
    public SignedIn completeSignIn(String mfaToken, String code, ClientInfo client) {
        SignInMethod method = SecondFactor.isTotpShaped(code) ? SignInMethod.TOTP : SignInMethod.RECOVERY_CODE;
        return metrics.signIn(method, () -> secondStep.complete(mfaToken, code, ClientInfo.required(client)));
    }

    /**
     * Begins the passkey second step of a sign-in that needs one ({@code "passkey"} among its methods): a ceremony
     * bound to that {@code mfa_token} (replacing one it began before) and assertion options naming only the user's
     * passkeys; {@code invalid_mfa_token} for a dead token, {@code not_found} when passkeys are not set up.
     */
    public PasskeyOptions secondStepPasskeyOptions(String mfaToken) {
        return secondStep.passkeyOptions(mfaToken);
    }

    /**
     * Completes a sign-in with the {@code mfa_token}, the ceremony of {@link #secondStepPasskeyOptions} and the
     * passkey's assertion ({@code credential.toJSON()}): the session, or {@code invalid_ceremony}, {@code
     * invalid_mfa_code} for an assertion that does not verify, is not one of the user's passkeys or answers a ceremony
     * of another {@code mfa_token} (counted like a wrong code), and the refusals of {@link #completeSignIn}.
     */
    public SignedIn completeSignInWithPasskey(String mfaToken, String ceremonyId, String credentialJson,
                                              ClientInfo client) {
        return metrics.signIn(SignInMethod.PASSKEY, () -> secondStep.completeWithPasskey(mfaToken, ceremonyId,
                credentialJson, ClientInfo.required(client)));
    }

    /**
     * Starts TOTP enrolment after checking the password: a new secret, shown this once, that {@link #confirmTotp}
     * turns on; {@code mfa_already_enabled} while TOTP is on, {@code not_found} when the host gave no TOTP key.
     */
    public TotpEnrolment startTotp(Authenticated current, String password) {
        return mfa.startTotp(current, password);
    }

    /**
     * Turns TOTP on with a first code of the pending secret; returns the 10 recovery codes, shown this once, and the
     * count of the user's other active sessions.
     */
    public TotpEnabled confirmTotp(Authenticated current, String code) {
        return mfa.confirmTotp(current, code);
    }

    /** Turns TOTP off after the password and a TOTP or recovery code; the recovery codes are deleted. */
    public void disableTotp(Authenticated current, String password, String code) {
        mfa.disableTotp(current, password, code);
    }

    /** A fresh set of 10 recovery codes after checking the password; the old set stops working. */
    public List<String> regenerateRecoveryCodes(Authenticated current, String password) {
        return mfa.regenerateRecoveryCodes(current, password);
    }

    /**
     * Whether the host gave a TOTP key ({@link AccountsBuilder#totpKeys}); without one the second factor is not
     * offered.
     */
    public boolean totpAvailable() {
        return mfa.available();
    }

    /** Checks a session token; {@code unauthenticated} when it is missing, unknown, revoked or expired. */
    public Authenticated authenticate(String sessionToken) {
        return sessions.authenticate(sessionToken);
    }

    /**
     * Rotates both tokens of a session; {@code validation_failed} without a token, {@code invalid_update_token}
     * when the update token no longer works.
     */
    public IssuedSession refresh(String updateToken) {
        FieldError.requirePresent("update_token", updateToken);
        return sessions.refresh(updateToken);
    }

    /** Ends the current session. */
    public void signOut(Authenticated current) {
        sessions.revoke(current.userId(), current.sessionId(), UserSessions.SIGN_OUT);
    }

    /**
     * Ends every session of the user, the current one included, and cancels every pending email change and one-time
     * token of the account.
     */
    public void signOutEverywhere(Authenticated current) {
        profiles.signOutEverywhere(current);
    }

    /** The user's active sessions, the current one marked. */
    public List<SessionInfo> sessions(Authenticated current) {
        return sessions.list(current.userId(), current.sessionId());
    }

    /** Revokes one of the user's sessions; {@code not_found} for an id that is not theirs. */
    public void revokeSession(Authenticated current, long sessionId) {
        sessions.revoke(current.userId(), sessionId, UserSessions.REVOKED);
    }

    /** The user as stored now. */
    public UserInfo me(Authenticated current) {
        return profiles.me(current);
    }

    /** Changes first and/or last name (null leaves one as it is); {@code updated_at} moves forward. */
    public UserInfo updateProfile(Authenticated current, String fname, String lname) {
        return profiles.updateProfile(current, fname, lname);
    }

    /** Changes the password after checking the current one; revokes every other session of the user. */
    public void changePassword(Authenticated current, String currentPassword, String newPassword) {
        profiles.changePassword(current, currentPassword, newPassword);
    }

    /** Deletes the user with all their sessions and tokens after checking the password; the email is free again. */
    public void deleteAccount(Authenticated current, String password) {
        profiles.deleteAccount(current, password);
    }

    /** Mails a reset token if the email is registered; answers the same, after the same work, if not. */
    public void requestPasswordReset(String email, ClientInfo client) {
        emailFlows.requestPasswordReset(email, ClientInfo.required(client));
    }

    /**
     * Sets a new password with a reset token, revoking every session; {@code invalid_token} if it is not live. The
     * client is where the reset was confirmed from, for its event and the notice that tells the user.
     */
    public void confirmPasswordReset(String token, String newPassword, ClientInfo client) {
        emailFlows.confirmPasswordReset(token, newPassword, ClientInfo.required(client));
    }

    /** Mails the user a single-use token that proves they own their email address. */
    public void requestEmailVerification(Authenticated current) {
        emailFlows.requestEmailVerification(current);
    }

    /** Marks the email of the token's user verified; {@code invalid_token} if it is not live. */
    public UserInfo confirmEmailVerification(String token) {
        FieldError.requirePresent("token", token);
        return emailFlows.confirmEmailVerification(token);
    }

    /**
     * Asks to move the account to {@code newEmail} after checking {@code password} (throttled like a password
     * change): a single-use token valid as long as a verification token (24 hours by default) goes to the new
     * address, replacing any earlier one; if another account has that address, it is told instead and this returns
     * all the same. {@code validation_failed}, {@code wrong_password} or {@code throttled} otherwise.
     */
    public void requestEmailChange(Authenticated current, String newEmail, String password, ClientInfo client) {
        emailChanges.request(current, newEmail, password, ClientInfo.required(client));
    }

    /**
     * Moves the token's user to the address it was mailed to, which counts as verified; the old address is told.
     * {@code invalid_token} if the token is not live or the address was taken meanwhile.
     */
    public UserInfo confirmEmailChange(String token, ClientInfo client) {
        return emailChanges.confirm(token, ClientInfo.required(client));
    }

    /**
     * The user's events, newest first: up to {@code limit} (1 to 100) older than event id {@code before} (null for
     * the newest); {@code validation_failed} for a limit or cursor out of range.
     */
    public EventPage events(Authenticated current, Long before, int limit) {
        return events.page(current.userId(), before, limit);
    }

    /** What operators do to other users' accounts; the host decides who is an operator. */
    public Operators operators() {
        return operators;
    }

    /** Sign-in with OpenID Connect providers and GitHub, and the identities linked to accounts. */
    public Federation federation() {
        return federation;
    }

    /**
     * Those of {@code sessionIds} whose session still works (not revoked, not expired, the user not disabled): for
     * long-lived connections such as real-time sockets that re-check the session they were opened with.
     */
    public Set<Long> activeSessions(Collection<Long> sessionIds) {
        return sessions.active(Objects.requireNonNull(sessionIds, "null sessionIds"));
    }

    /**
     * Whether passkeys are set up ({@link AccountsBuilder#passkeys}); without, every passkey method is
     * {@code not_found}.
     */
    public boolean passkeysEnabled() {
        return passkeys != null;
    }

    /**
     * Begins adding a passkey for the signed-in user: the ceremony id and the creation options for the browser
     * (resident key required, user verification preferred, the user's passkeys excluded). Like {@link #addPasskey},
     * it needs a verified email ({@code email_not_verified}) and a recent proof by this session
     * ({@code reauthentication_required}; see {@link #reauthenticate}).
     */
    public PasskeyOptions passkeyRegistrationOptions(Authenticated current) {
        Passkeys p = passkeys();
        reauthentication.beforeAddingWayIn(current);
        return p.registrationOptions(current);
    }

    /**
     * Finishes adding a passkey with the browser's {@code credential.toJSON()}; {@code name} may be null.
     * {@code invalid_ceremony} for a ceremony id that is unknown, expired, used or another user's;
     * {@code invalid_webauthn_response} for a credential that does not verify.
     */
    public PasskeyInfo addPasskey(Authenticated current, String ceremonyId, String credentialJson, String name,
                                  ClientInfo client) {
        Passkeys p = passkeys();
        FieldError.requirePresent("ceremony_id", ceremonyId);
        FieldError.requirePresent("credential", credentialJson);
        reauthentication.beforeAddingWayIn(current);
        return p.register(current, ceremonyId, credentialJson, name, ClientInfo.required(client));
    }

    /** The signed-in user's passkeys, oldest first. */
    public List<PasskeyInfo> passkeys(Authenticated current) {
        return passkeys().list(current.userId());
    }

    /** Renames one of the user's passkeys; {@code not_found} for an id that is not theirs. */
    public PasskeyInfo renamePasskey(Authenticated current, long passkeyId, String name) {
        return passkeys().rename(current.userId(), passkeyId, name);
    }

    /**
     * Removes one of the user's passkeys; {@code not_found} for an id that is not theirs, and
     * {@code reauthentication_required} unless the session signed in or re-authenticated recently.
     */
    public void removePasskey(Authenticated current, long passkeyId, ClientInfo client) {
        Passkeys p = passkeys();
        reauthentication.beforeRemovingWayIn(current);
        p.remove(current, passkeyId, ClientInfo.required(client));
    }

    /**
     * Re-authenticates the session with the account's password, for the changes that need a recent proof (see
     * {@link ReauthenticationWindows}); returns until when the proof lets it add a way in. {@code wrong_password} or
     * {@code throttled} otherwise, counted like a wrong sign-in.
     */
    public Instant reauthenticate(Authenticated current, String password) {
        return reauthentication.withPassword(current, password);
    }

    /**
     * Re-authenticates the session with a TOTP code, as {@link #reauthenticate}; {@code invalid_mfa_code} for a
     * wrong, reused or expired code (a recovery code is none here), counted like a wrong sign-in.
     */
    public Instant reauthenticateWithCode(Authenticated current, String code) {
        return reauthentication.withCode(current, code);
    }

    /** Begins re-authenticating the session with a passkey: assertion options naming only the user's passkeys. */
    public PasskeyOptions reauthenticationPasskeyOptions(Authenticated current) {
        return reauthentication.passkeyOptions(current);
    }

    /**
     * Re-authenticates the session with the assertion answering {@link #reauthenticationPasskeyOptions}, as
     * {@link #reauthenticate}; {@code invalid_ceremony}, or {@code invalid_mfa_code} for an assertion that does not
     * verify (counted like a wrong sign-in).
     */
    public Instant reauthenticateWithPasskey(Authenticated current, String ceremonyId, String credentialJson) {
        return reauthentication.withPasskey(current, ceremonyId, credentialJson);
    }

    /**
     * Begins a passwordless sign-in: request options that name no user (discoverable credentials). Each writes a
     * ceremony, so they are limited per client address ({@link PasskeyConfig#signInOptions()}), {@code throttled}
     * past that.
     */
    public PasskeyOptions passkeySignInOptions(ClientInfo client) {
        return passkeys().signInOptions(ClientInfo.required(client));
    }

    /**
     * Signs in with a passkey's assertion ({@code credential.toJSON()}), complete by itself: no second step.
     * {@code invalid_ceremony} for a ceremony id that is not live; {@code invalid_credentials} for an assertion that
     * does not verify (bad signature, unknown credential, counter went back); {@code account_disabled} for a
     * disabled account.
     */
    public SignedIn signInWithPasskey(String ceremonyId, String credentialJson, ClientInfo client) {
        Passkeys p = passkeys();
        FieldError.requirePresent("ceremony_id", ceremonyId);
        FieldError.requirePresent("credential", credentialJson);
        return metrics.signIn(SignInMethod.PASSKEY, () -> p.signIn(ceremonyId, credentialJson,
                ClientInfo.required(client)));
    }

    private Passkeys passkeys() {
        if (passkeys == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "Passkeys are not set up on this server.");
        }
        return passkeys;
    }

    /** How many events listeners never heard of because they fell behind (their queue was full). */
    public long droppedEvents() {
        return events.droppedEvents();
    }

    /**
     * Deletes expired sessions, tokens, throttle entries, mail budgets and events past their retention in short
     * batches (no long locks), and mails the new-sign-in notices held past their hour; returns how many rows went.
     * With a {@link AccountsBuilder#meterRegistry} it then counts the active sessions for their gauge. The
     * housekeeping thread calls it every few minutes; hosts that turned that off call it themselves.
     */
    public int purgeExpired() {
        int total = 0;
        int n;
        do {
            n = sessions.purgeExpired(PURGE_BATCH) + tx.inTransaction(em -> throttle.purge(em, PURGE_BATCH))
                    + emailFlows.purgeExpired(PURGE_BATCH) + events.purgeExpired(PURGE_BATCH)
                    + (passkeys == null ? 0 : passkeys.purgeExpired(PURGE_BATCH))
                    + secondStep.purgeExpired(PURGE_BATCH) + federation.purgeExpired(PURGE_BATCH) + purgeMail();
            total += n;
        } while (n > 0);
        metrics.activeSessions(sessions::countActive);
        return total;
    }

    /** Tells the new-sign-in notices held past their hour, then deletes mail rows that count nothing any more. */
    private int purgeMail() {
        return notices.tellHeldSignIns(PURGE_BATCH) + tx.inTransaction(em -> mailBudget.purge(em, PURGE_BATCH)
                + signInNotices.purge(em, PURGE_BATCH));
    }

    /** How many password verifications have run, for metrics and for tests that unknown emails cost the same. */
    public long passwordVerifications() {
        return hasher.verifications();
    }

    /** How many password-strength estimates have run, for tests that invalid input never reaches them. */
    long passwordStrengthChecks() {
        return passwordRules.estimates();
    }

    /**
     * Stops the housekeeping, hashing and mail threads, then closes the factory {@link #builder(DataSource)} built;
     * a factory the host passed stays the host's to close.
     */
    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        hasher.close();
        outbox.close();
        events.close();
        metrics.close();
        if (ownsFactory && emf.isOpen()) {
            emf.close();
        }
    }

    /** The notices listen to the event log built before them (their mail's failures are events too). */
    private void tellNotices(AccountEvent event) {
        notices.onEvent(event);
    }

    /** The factory in use, for {@link AccountsSchema#validate}. */
    EntityManagerFactory entityManagerFactory() {
        return emf;
    }
}
