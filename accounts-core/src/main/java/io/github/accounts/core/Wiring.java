package io.github.accounts.core;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.email.EmailChange;
import io.github.accounts.core.email.EmailChangeFlows;
import io.github.accounts.core.emailsignin.EmailSignIn;
import io.github.accounts.core.emailsignin.EmailSignInFlows;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.AccountEventListener;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.event.Events;
import io.github.accounts.core.federation.Federation;
import io.github.accounts.core.federation.FederationFlows;
import io.github.accounts.core.federation.ProviderClients;
import io.github.accounts.core.internal.Housekeeping;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.mail.EmailFlows;
import io.github.accounts.core.mail.Mail;
import io.github.accounts.core.mail.MailBudget;
import io.github.accounts.core.mail.MailOutbox;
import io.github.accounts.core.mail.MailWriter;
import io.github.accounts.core.mail.SecurityNotices;
import io.github.accounts.core.metrics.Metrics;
import io.github.accounts.core.mfa.Mfa;
import io.github.accounts.core.mfa.MfaFlows;
import io.github.accounts.core.mfa.SecondFactor;
import io.github.accounts.core.operator.OperatorFlows;
import io.github.accounts.core.operator.Operators;
import io.github.accounts.core.passkey.PasskeyService;
import io.github.accounts.core.passkey.Passkeys;
import io.github.accounts.core.passkey.WebAuthn;
import io.github.accounts.core.password.PasswordConfirmation;
import io.github.accounts.core.password.PasswordHasher;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.profile.Profile;
import io.github.accounts.core.profile.ProfileFlows;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.RecentAuthentication;
import io.github.accounts.core.session.SessionStore;
import io.github.accounts.core.session.Sessions;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.signin.Reauthentication;
import io.github.accounts.core.signin.ReauthenticationFlows;
import io.github.accounts.core.signin.SignInFlows;
import io.github.accounts.core.signin.SignIns;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.token.OneTimeTokens;
import io.github.accounts.core.webhook.WebhookModule;
import io.github.accounts.core.webhook.Webhooks;
import io.github.accounts.core.export.DataExport;
import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * Builds every feature of {@link Accounts} once, from the builder's settings: the shared machinery first (the
 * factory, transactions, events, sessions, throttle, password checks, in one {@link FlowContext}), then each
 * feature's service over it, and the purges the housekeeping runs.
 */
final class Wiring {
    final AccountsConfig config;
    final EntityManagerFactory emf;
    final boolean ownsFactory;
    final PasswordHasher hasher;
    final PasswordRules passwordRules;
    final EventLog events;
    final MailOutbox outbox;
    final Metrics metrics;
    final Housekeeping housekeeping;
    final SecurityNotices notices;
    final SignIns signIns;
    final Sessions sessions;
    final Profile profile;
    final Mail mail;
    final EmailChange emailChange;
    final Mfa mfa;
    final Passkeys passkeys;
    final Reauthentication reauthentication;
    final Operators operators;
    final Federation federation;
    final WebhookModule webhookModule;
    final Webhooks webhooks;
    final DataExport export;
    final EmailSignIn emailSignIn;

    Wiring(AccountsBuilder b) {
        this.config = b.config;
        // Whole milliseconds: what clients see equals what the database keeps (it stores microseconds at best).
        Clock clock = Clock.tick(b.clock, Duration.ofMillis(1));
        this.ownsFactory = b.emf == null;
        this.emf = ownsFactory ? Persistence.quietFactory(b.dataSource) : b.emf;
        Transactions tx = new Transactions(emf);
        Tokens tokens = new Tokens();
        // Micrometer's classes load only here, and only for a host that gave a registry.
        this.metrics = b.meterRegistry == null ? Metrics.NONE : Metrics.micrometer(b.meterRegistry);
        this.hasher = new PasswordHasher(config.hashing(), metrics);
        this.passwordRules = new PasswordRules(config.passwords());
        List<AccountEventListener> listeners = new ArrayList<>(b.eventListeners);
        if (!b.notifications.enabled().isEmpty()) { // the notices listen to the log built before them
            listeners.add(this::tellNotices);
        }
        if (b.webhookKey != null) { // the worker hears of committed events, so it need not wait for its next poll
            listeners.add(this::tellWebhooks);
        }
        this.events = new EventLog(tx, clock, b.eventRetention, listeners, b.eventQueue);
        this.webhookModule = b.webhookKey == null ? null : new WebhookModule(emf, events, b.webhookKey,
                b.olderWebhookKeys, b.webhookPolicy, clock, b.purgeEvery != null, metrics);
        this.webhooks = webhookModule == null ? WebhookModule.notSetUp() : webhookModule.service();
        this.export = DataExport.over(emf);
        ThrottleKeys keys = b.throttleKeys; // build() refuses without one (or a host secret to derive it from)
        MailBudget mailBudget = new MailBudget(keys, clock);
        this.outbox = new MailOutbox(b.mailer(), tx, events, mailBudget,
                new MailWriter(b.mailTemplates, b.publicUrl, b.mailPages));
        this.notices = new SecurityNotices(b.notifications, tx, clock, outbox);
        UserSessions userSessions = new UserSessions(tokens, config.sessions(), clock, events);
        OneTimeTokens oneTimeTokens = new OneTimeTokens(tokens, clock);
        AccountRecovery recovery = new AccountRecovery(oneTimeTokens, userSessions, events, clock);
        SessionStore sessionStore = new SessionStore(tx, tokens, config.sessions(), clock, userSessions, metrics,
                recovery);
        SignInThrottle throttle = new SignInThrottle(config.throttling(), clock);
        RecentAuthentication recent = new RecentAuthentication(config.reauthentication(), clock);
        FlowContext ctx = new FlowContext(tx, tokens, clock, config, metrics, events, userSessions, recent, throttle,
                keys, oneTimeTokens, recovery, hasher, passwordRules,
                new PasswordConfirmation(tx, hasher, throttle, keys, recent));
        SecondFactor factor = b.secondFactor();
        WebAuthn webAuthn = b.passkeys == null ? null : new WebAuthn(ctx, b.passkeys);
        SignInFlows signInFlows = new SignInFlows(ctx, factor, webAuthn);
        EmailFlows emailFlows = new EmailFlows(ctx, outbox);
        PasskeyService passkeyService = new PasskeyService(ctx, webAuthn);
        this.signIns = signInFlows;
        this.sessions = sessionStore;
        this.profile = new ProfileFlows(ctx);
        this.mail = emailFlows;
        this.emailChange = new EmailChangeFlows(ctx, outbox);
        this.mfa = new MfaFlows(ctx, factor, b.totpIssuer);
        this.passkeys = passkeyService;
        this.reauthentication = new ReauthenticationFlows(ctx, factor, webAuthn);
        this.operators = new OperatorFlows(ctx);
        FederationFlows federationFlows = new FederationFlows(ctx, b.federation == null ? ProviderClients.none()
                : new ProviderClients(b.federation), (em, user) -> signInFlows.secondStep(em, user, "federated"),
                webAuthn);
        this.federation = federationFlows;
        EmailSignInFlows emailSignInFlows = new EmailSignInFlows(ctx, outbox, signInFlows::secondStep, b.emailSignIn);
        this.emailSignIn = emailSignInFlows;
        List<IntUnaryOperator> purges = new ArrayList<>(List.of(sessionStore::purgeExpired,
                batch -> tx.inTransaction(em -> throttle.purge(em, batch)), emailFlows::purgeExpired,
                events::purgeExpired, passkeyService::purgeExpired, signInFlows::purgeExpired,
                federationFlows::purgeExpired, emailSignInFlows::purgeExpired,
                notices::tellHeldSignIns, batch -> tx.inTransaction(em -> mailBudget.purge(em, batch)
                        + notices.purge(em, batch))));
        if (webhookModule != null) {
            purges.add(webhookModule::purgeFinished);
            purges.add(webhookModule::resealOlder);
        }
        this.housekeeping = new Housekeeping(purges, () -> {
            metrics.activeSessions(sessionStore::countActive);
            if (webhookModule != null) {
                metrics.webhooksPending(webhookModule::countPending);
            }
        }, b.purgeEvery);
    }

    private void tellNotices(AccountEvent event) {
        notices.onEvent(event);
    }

    private void tellWebhooks(AccountEvent event) {
        webhookModule.onEvent(event);
    }
}
