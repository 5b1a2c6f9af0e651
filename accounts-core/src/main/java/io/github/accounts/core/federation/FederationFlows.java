// Over 300 lines: the callback's checks and the contract's four outcomes decide together, in one write.
package io.github.accounts.core.federation;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.passkey.WebAuthn;
import io.github.accounts.core.password.PasswordConfirmation;
import io.github.accounts.core.session.AccountRecovery;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.MfaRequired;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Federated sign-in's flows: a flow begun ({@link #start}, {@link #startLink}), the callback judged ({@link #finish}:
 * the flow taken back, the provider's round trip outside any transaction, then one write deciding among the
 * contract's four outcomes), a link proved ({@link #completeLink}), identities listed and unlinked. Built by the
 * wiring only. Thread-safe.
 */
public final class FederationFlows implements Federation {
    private static final Logger log = LoggerFactory.getLogger(Federation.class);
    private static final String START = "federation-start";
    /** Flows an address may begin; each writes a row. */
    private static final ThrottleLimits.Rate STARTS = new ThrottleLimits.Rate(30, Duration.ofMinutes(1));
    private static final int MAX_PARAMETERS = 16;
    private static final int MAX_PARAMETER_LENGTH = 4096;
    private static final String METHOD = "federated";

    private final Transactions tx;
    private final ProviderClients clients;
    private final FlowStore flows;
    private final Identities identities;
    private final UserSessions sessions;
    private final SecondStep secondStep;
    private final AccountRecovery recovery;
    private final PasswordConfirmation confirmation;
    private final FlowContext ctx;
    private final WebAuthn passkeys;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final EventLog events;
    private final Clock clock;

    /** How a sign-in of a user with TOTP on waits for its second step, in the caller's transaction. */
    @FunctionalInterface
    public interface SecondStep {
        MfaRequired challenge(EntityManager em, User user);
    }

    /** {@code passkeys} may be null (none set up). */
    public FederationFlows(FlowContext ctx, ProviderClients clients, SecondStep secondStep, WebAuthn passkeys) {
        this.ctx = ctx;
        this.tx = ctx.tx();
        this.clients = clients;
        this.flows = new FlowStore(ctx.clock());
        this.identities = new Identities(ctx.clock());
        this.sessions = ctx.sessions();
        this.secondStep = secondStep;
        this.recovery = ctx.recovery();
        this.confirmation = ctx.confirmation();
        this.passkeys = passkeys;
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.events = ctx.events();
        this.clock = ctx.clock();
    }

    @Override
    public List<ProviderInfo> providers() {
        return clients.list();
    }

    @Override
    public FederatedStart start(String providerId, String returnTo, ClientInfo client) {
        return begin(providerId, returnTo, null, null, ClientInfo.required(client));
    }

    @Override
    public FederatedStart startReauthentication(Authenticated current, String providerId, String returnTo,
                                                ClientInfo client) {
        Provider provider = clients.provider(providerId);
        ReturnTo.check(returnTo);
        boolean linked = tx.read(em -> identities.list(em, current.userId()).stream()
                .anyMatch(i -> i.provider().equals(provider.id())));
        if (!linked) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "No identity of yours is linked at this provider.");
        }
        return begin(providerId, returnTo, current.userId(), current.sessionId(), ClientInfo.required(client));
    }

    @Override
    public FederatedStart startLink(Authenticated current, String providerId, String returnTo, ClientInfo client) {
        clients.provider(providerId);
        ReturnTo.check(returnTo);
        ctx.beforeAddingWayIn(current);
        return begin(providerId, returnTo, current.userId(), null, ClientInfo.required(client));
    }

    /** A flow stored and its authorization URL; {@code sessionId} non-null re-authenticates that session. */
    private FederatedStart begin(String providerId, String returnTo, Long userId, Long sessionId, ClientInfo client) {
        Provider provider = clients.provider(providerId);
        String target = ReturnTo.check(returnTo);
        String addressKey = keys.address(START, client.ip());
        FlowStore.Begun begun = tx.inTransaction(em -> {
            if (addressKey != null) {
                throttle.rate(em, addressKey, STARTS);
            }
            return flows.begin(em, provider.id(), target, userId, sessionId);
        });
        return new FederatedStart(clients.authorizationUrl(provider.id(), begun.state(), begun.nonce(),
                begun.codeVerifier(), sessionId != null), begun.browserKey());
    }

    @Override
    public CallbackOutcome finish(String providerId, Map<String, List<String>> parameters, String browserKey,
                                  ClientInfo client) {
        Provider provider = clients.provider(providerId);
        ClientInfo.required(client);
        Map<String, String> params = singleValued(parameters);
        if (params == null) {
            return failed(provider, ReturnTo.DEFAULT, "invalid_state", "the callback's parameters were too many,"
                    + " too long or repeated");
        }
        Optional<FlowStore.Flow> taken = tx.inTransaction(em -> flows.take(em, params.get("state"), browserKey));
        if (taken.isEmpty() || !taken.get().providerId().equals(provider.id())) {
            return failed(provider, taken.map(FlowStore.Flow::returnTo).orElse(ReturnTo.DEFAULT), "invalid_state",
                    browserKey == null ? "the callback came without the pre-auth cookie"
                            : "no live flow of this provider has that state and cookie");
        }
        FlowStore.Flow flow = taken.get();
        ProviderIdentity identity;
        try {
            identity = clients.identity(provider.id(), params, flow.codeVerifier(), flow.nonce(),
                    flow.sessionId() == null ? null : flow.began()); // a re-authentication needs a fresh login
        } catch (ProviderFailure f) {
            return failed(provider, flow.returnTo(), f.error(), f.getMessage());
        } catch (RuntimeException e) { // a provider's answer Nimbus could not make sense of
            return failed(provider, flow.returnTo(), ProviderFailure.PROVIDER_ERROR, e.getClass().getSimpleName());
        }
        CallbackOutcome outcome = tx.inTransaction(em -> flow.sessionId() != null
                ? reauthenticate(em, flow, identity)
                : flow.userId() != null ? linkTo(em, flow.userId(), provider, identity, flow.returnTo(), client)
                : signInWith(em, provider, identity, flow.returnTo(), browserKey, client));
        if (outcome instanceof CallbackOutcome.Failed f) {
            log.warn("Federated sign-in with {} refused: {}", provider.id(), f.error());
        }
        return outcome;
    }

    /** The parameters as single values, or null when there are too many, one is too long or one is repeated. */
    private static Map<String, String> singleValued(Map<String, List<String>> parameters) {
        if (parameters == null || parameters.size() > MAX_PARAMETERS) {
            return null;
        }
        Map<String, String> single = new HashMap<>();
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            List<String> values = p.getValue();
            if (p.getKey() == null || p.getKey().length() > 64 || values == null || values.size() != 1
                    || values.get(0) == null || values.get(0).length() > MAX_PARAMETER_LENGTH) {
                return null;
            }
            single.put(p.getKey(), values.get(0));
        }
        return single;
    }

    private static CallbackOutcome failed(Provider provider, String returnTo, String error, String why) {
        log.warn("Federated sign-in with {} failed ({}): {}", provider.id(), error, why);
        return new CallbackOutcome.Failed(returnTo, error);
    }

    /** Outcomes 1 to 3: the identity's account, a new account, a claimed one, or a link waiting for proof. */
    private CallbackOutcome signInWith(EntityManager em, Provider provider, ProviderIdentity identity, String returnTo,
                                       String browserKey, ClientInfo client) {
        Optional<Identities.Owner> owner = identities.owner(em, identity.issuer(), identity.subject());
        if (owner.isPresent()) {
            User user = em.find(User.class, owner.get().userId());
            if (user.isDisabled()) {
                return new CallbackOutcome.Failed(returnTo, "account_disabled");
            }
            identities.used(em, owner.get().identityId());
            return signedIn(em, user, provider, returnTo, client);
        }
        String email = identity.normalisedEmail();
        if (email == null || !identity.emailVerified()) {
            return new CallbackOutcome.Failed(returnTo, "email_not_verified");
        }
        Optional<User> existing = User.byEmail(em, email);
        if (existing.isEmpty()) {
            return provider.allowSignUp() ? signUp(em, provider, identity, email, returnTo, client)
                    : new CallbackOutcome.Failed(returnTo, "sign_up_closed");
        }
        User user = existing.get();
        if (user.isDisabled()) {
            return new CallbackOutcome.Failed(returnTo, "account_disabled");
        }
        boolean claimed = recovery.claim(em, user, METHOD, null, client); // only an unverified account is claimed
        if (claimed || provider.linkVerifiedEmailsAutomatically()) {
            if (link(em, user.getId(), provider, identity, null, client).isEmpty()) {
                return new CallbackOutcome.Failed(returnTo, "identity_taken"); // a racing callback linked it
            }
            return signedIn(em, user, provider, returnTo, client);
        }
        String linkToken = flows.beginLink(em, browserKey, user.getId(), provider.id(), identity, returnTo);
        return new CallbackOutcome.LinkRequired(returnTo, linkToken, email);
    }

    /** Outcome 2: a new account without a password, its email verified by the provider, signed in. */
    private CallbackOutcome signUp(EntityManager em, Provider provider, ProviderIdentity identity, String email,
                                   String returnTo, ClientInfo client) {
        Instant now = clock.instant();
        OptionalLong id = Jdbc.insertUnlessDuplicate(em, """
                        insert into users (email, fname, lname, password_digest, email_verified_at, created_at,
                        updated_at) values (?, ?, ?, null, ?, ?, ?)""", email, identity.fname(), identity.lname(), now,
                now, now);
        if (id.isEmpty()) { // a racing sign-up took the address: as if the flow had expired
            return new CallbackOutcome.Failed(returnTo, "invalid_state");
        }
        User user = em.find(User.class, id.getAsLong());
        IssuedSession session = sessions.issue(em, user, client);
        events.record(em, user.getId(), AccountEvent.USER_SIGNED_UP, session.id(), client,
                Map.of("method", METHOD, "provider", provider.id()));
        if (link(em, user.getId(), provider, identity, session.id(), client).isEmpty()) {
            throw new IllegalStateException("An identity without an account was linked meanwhile");
        }
        return new CallbackOutcome.SignedInWith(returnTo, new SignedIn(user.toInfo(), session));
    }

    /** Signs {@code user} in with the provider: a session, or the second step when TOTP is on. */
    private CallbackOutcome signedIn(EntityManager em, User user, Provider provider, String returnTo,
                                     ClientInfo client) {
        Map<String, Object> detail = Map.of("method", METHOD, "provider", provider.id());
        if (user.isMfaEnabled()) {
            events.record(em, user.getId(), AccountEvent.MFA_REQUIRED, null, client, detail);
            return new CallbackOutcome.SignedInWith(returnTo, new SignedIn(user.toInfo(), null,
                    secondStep.challenge(em, user)));
        }
        IssuedSession session = sessions.issue(em, user, client);
        events.record(em, user.getId(), AccountEvent.SIGNED_IN, session.id(), client, detail);
        return new CallbackOutcome.SignedInWith(returnTo, new SignedIn(user.toInfo(), session));
    }

    /** Links the identity to {@code userId} with its event; empty when another request linked it first. */
    private Optional<IdentityInfo> link(EntityManager em, long userId, Provider provider, ProviderIdentity identity,
                                        Long sessionId, ClientInfo client) {
        OptionalLong id = identities.link(em, userId, provider.id(), identity);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        events.record(em, userId, AccountEvent.IDENTITY_LINKED, sessionId, client,
                Map.of("provider", provider.id(), "identity_id", id.getAsLong()));
        return identities.find(em, userId, id.getAsLong());
    }

    /**
     * A re-authentication: the identity must be one linked to the account of the session that began the flow (else
     * {@code identity_taken}, nothing proved), and that session still live; its proof is then recorded as any other.
     */
    private CallbackOutcome reauthenticate(EntityManager em, FlowStore.Flow flow, ProviderIdentity identity) {
        Optional<Identities.Owner> owner = identities.owner(em, identity.issuer(), identity.subject());
        if (owner.isEmpty() || owner.get().userId() != flow.userId()) {
            return new CallbackOutcome.Failed(flow.returnTo(), "identity_taken");
        }
        boolean live = !Sql.query(em, "select id from sessions where id = ? and user_id = ? and expires_at > ?",
                rs -> rs.getLong(1), flow.sessionId(), flow.userId(), clock.instant()).isEmpty();
        if (!live) { // signed out or expired meanwhile (a revoked session's flow went with its row)
            return new CallbackOutcome.Failed(flow.returnTo(), "invalid_state");
        }
        identities.used(em, owner.get().identityId());
        return new CallbackOutcome.Reauthenticated(flow.returnTo(), ctx.recent().proved(em, flow.sessionId()));
    }

    /** Outcome 4: linking to the account that began the flow, unless the identity is another account's. */
    private CallbackOutcome linkTo(EntityManager em, long userId, Provider provider, ProviderIdentity identity,
                                   String returnTo, ClientInfo client) {
        User user = em.find(User.class, userId);
        if (user == null) {
            return new CallbackOutcome.Failed(returnTo, "invalid_state"); // the account went meanwhile
        }
        Optional<Identities.Owner> owner = identities.owner(em, identity.issuer(), identity.subject());
        if (owner.isPresent()) {
            return owner.get().userId() == userId
                    ? new CallbackOutcome.Linked(returnTo, identities.find(em, userId, owner.get().identityId())
                    .orElseThrow())
                    : new CallbackOutcome.Failed(returnTo, "identity_taken");
        }
        return link(em, userId, provider, identity, null, client)
                .<CallbackOutcome>map(i -> new CallbackOutcome.Linked(returnTo, i))
                .orElseGet(() -> new CallbackOutcome.Failed(returnTo, "identity_taken"));
    }

    @Override
    public SignedIn completeLink(String linkToken, String browserKey, String password, ClientInfo client) {
        FieldError.requirePresent("link_token", linkToken);
        FieldError.requirePresent("password", password);
        ClientInfo.required(client);
        FlowStore.PendingLink pending = tx.read(em -> flows.peekLink(em, linkToken, browserKey))
                .orElseThrow(FederationFlows::invalidLinkToken);
        confirmation.confirm(pending.userId(), accountEmail(pending), password); // a wrong one leaves the link
        return tx.inTransaction(em -> linkAndSignIn(em, pending, linkToken, client));
    }

    @Override
    public SignedIn completeLinkWithPasskey(String linkToken, String browserKey, String ceremonyId,
                                           String credentialJson, ClientInfo client) {
        FieldError.requirePresent("link_token", linkToken);
        FieldError.requirePresent("ceremony_id", ceremonyId);
        FieldError.requirePresent("credential", credentialJson);
        ClientInfo.required(client);
        if (passkeys == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "Passkeys are not set up on this server.");
        }
        FlowStore.PendingLink pending = tx.read(em -> flows.peekLink(em, linkToken, browserKey))
                .orElseThrow(FederationFlows::invalidLinkToken);
        String accountKey = keys.account(SignInThrottle.SIGN_IN, accountEmail(pending));
        WebAuthn.SecondStep proof = passkeys.verifyAccountProof(pending.userId(), ceremonyId, credentialJson);
        // counted like a wrong password before it is judged; a refusal returns, so that the count commits
        SignedIn signedIn = tx.inTransaction(em -> {
            throttle.reserve(em, accountKey, null);
            if (!proof.accept(em)) {
                return null;
            }
            throttle.release(em, accountKey, null);
            return linkAndSignIn(em, pending, linkToken, client);
        });
        if (signedIn == null) {
            throw AccountsException.of(ErrorCode.INVALID_CREDENTIALS, "The passkey was not accepted.");
        }
        return signedIn;
    }

    /** The email of the account a pending link names; {@code invalid_link_token} once the account is gone. */
    private String accountEmail(FlowStore.PendingLink pending) {
        String email = tx.read(em -> {
            User user = em.find(User.class, pending.userId());
            return user == null ? null : user.getEmail();
        });
        if (email == null) {
            throw invalidLinkToken();
        }
        return email;
    }

    /** After the account's proof: the link token used up, the identity linked, the user signed in. */
    private SignedIn linkAndSignIn(EntityManager em, FlowStore.PendingLink pending, String linkToken,
                                   ClientInfo client) {
        if (!flows.takeLink(em, linkToken)) {
            throw invalidLinkToken();
        }
        User user = em.find(User.class, pending.userId());
        if (user.isDisabled()) {
            throw User.disabled();
        }
        Provider provider = clients.provider(pending.providerId());
        ProviderIdentity identity = pending.identity();
        Optional<Identities.Owner> owner = identities.owner(em, identity.issuer(), identity.subject());
        if (owner.isPresent() ? owner.get().userId() != user.getId()
                : link(em, user.getId(), provider, identity, null, client).isEmpty()) {
            throw invalidLinkToken(); // linked to another account meanwhile
        }
        return ((CallbackOutcome.SignedInWith) signedIn(em, user, provider, pending.returnTo(), client)).signedIn();
    }

    @Override
    public List<IdentityInfo> identities(Authenticated current) {
        return tx.read(em -> identities.list(em, current.userId()));
    }

    @Override
    public void unlink(Authenticated current, long identityId, ClientInfo client) {
        ClientInfo.required(client);
        ctx.beforeRemovingWayIn(current);
        tx.inTransaction(em -> {
            // the user's row locked: two unlinks at once cannot both leave the account without a way in
            User user = em.find(User.class, current.userId(), LockModeType.PESSIMISTIC_WRITE);
            if (user == null) {
                throw AccountsException.of(ErrorCode.UNAUTHENTICATED, "This account no longer exists.");
            }
            IdentityInfo identity = identities.find(em, user.getId(), identityId).orElseThrow(() ->
                    AccountsException.of(ErrorCode.NOT_FOUND, "No such identity of yours."));
            if (!user.hasPassword() && !hasPasskey(em, user.getId()) && identities.count(em, user.getId()) <= 1) {
                throw AccountsException.of(ErrorCode.LAST_SIGN_IN_METHOD,
                        "This is your last way to sign in: set a password or add a passkey first.");
            }
            identities.unlink(em, user.getId(), identityId);
            events.record(em, user.getId(), AccountEvent.IDENTITY_UNLINKED, current.sessionId(), client,
                    Map.of("provider", identity.provider(), "identity_id", identityId));
            return null;
        });
    }

    private static boolean hasPasskey(EntityManager em, long userId) {
        return ((Number) em.createNativeQuery("select count(*) from passkey_credentials where user_id = ?")
                .setParameter(1, userId).getSingleResult()).longValue() > 0;
    }

    /** Deletes up to {@code batch} expired flows and links; returns how many (the housekeeping calls it). */
    public int purgeExpired(int batch) {
        return tx.inTransaction(em -> flows.purgeExpired(em, batch));
    }

    private static AccountsException invalidLinkToken() {
        return AccountsException.of(ErrorCode.INVALID_LINK_TOKEN,
                "This link is unknown, expired or already used, or was started in another browser; sign in again.");
    }
}
