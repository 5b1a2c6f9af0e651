// Over 300 lines: Yubico's four ceremonies (register, sign in, second step, re-authenticate) over one relying party.
package io.github.accounts.core.passkey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorAssertionResponse;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.ClientAssertionExtensionOutputs;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.PublicKeyCredentialRequestOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.PasskeyConfig;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Tokens;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.passkey.Ceremonies.Kind;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.UserInfo;
import jakarta.persistence.EntityManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Passkeys (WebAuthn) over Yubico's {@link RelyingParty}: registration for a signed-in user, the user's list, and
 * the verification of assertions that {@link PasskeySignIn} turns into sessions; reached from the {@code Accounts}
 * facade only, not API. Ceremonies live in the database ({@link Ceremonies}), so any instance finishes one another
 * began. Yubico checks origin, RP ID, challenge, signature and flags; the signature counter is checked here
 * (Yubico's own check is off) so that a counter that went back can be recorded before it is refused. Thread-safe.
 */
public final class WebAuthn {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A challenge's length, as Yubico's own. */
    private static final int CHALLENGE_BYTES = 32;

    private final Transactions tx;
    private final Clock clock;
    private final RelyingParty rp;
    private final CredentialTable credentials;
    private final Ceremonies ceremonies;
    private final PasskeyRegistry registry;
    private final PasskeySignIn signIns;
    private final UserHandles handles;
    private final SecureRandom random = new SecureRandom();

    public WebAuthn(FlowContext ctx, PasskeyConfig config) {
        this.tx = ctx.tx();
        this.clock = ctx.clock();
        Tokens tokens = ctx.tokens();
        EventLog events = ctx.events();
        this.credentials = new CredentialTable(tx);
        this.ceremonies = new Ceremonies(tokens, clock);
        this.rp = RelyingParty.builder()
                .identity(RelyingPartyIdentity.builder().id(config.rpId()).name(config.rpName()).build())
                .credentialRepository(credentials)
                .origins(config.origins())
                .validateSignatureCounter(false)
                .clock(clock)
                .build();
        this.registry = new PasskeyRegistry(tx, credentials, events, clock);
        this.handles = new UserHandles(clock);
        this.signIns = new PasskeySignIn(tx, this, ctx.sessions(), ctx.throttle(), ctx.keys(), config.signInOptions(), events);
    }

    /** Registration options for {@code current}: resident key required, UV preferred, their passkeys excluded. */
    public PasskeyOptions registrationOptions(Authenticated current) {
        UserInfo user = current.user();
        ByteArray handle = tx.inTransaction(em -> handles.ofOrNew(em, user.id()));
        PublicKeyCredentialCreationOptions request = rp.startRegistration(StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name(user.email()).displayName(user.fname() + " " + user.lname())
                        .id(handle).build())
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .residentKey(ResidentKeyRequirement.REQUIRED)
                        .userVerification(UserVerificationRequirement.PREFERRED).build())
                .timeout(Ceremonies.LIFETIME.toMillis())
                .build());
        String stored = write(request::toJson);
        String ceremonyId = tx.inTransaction(em -> ceremonies.begin(em, Kind.REGISTRATION, user.id(),
                request.getChallenge().getBase64Url(), stored));
        return new PasskeyOptions(ceremonyId, publicKey(write(request::toCredentialsCreateJson)));
    }

    /**
     * Verifies a registration begun by {@link #registrationOptions} for the same user and stores the passkey;
     * {@code invalid_ceremony} or {@code invalid_webauthn_response} otherwise; a name that is not one is
     * {@code validation_failed} before the ceremony is used.
     */
    public PasskeyInfo register(Authenticated current, String ceremonyId, String credentialJson, String name,
                                ClientInfo client) {
        String checked = PasskeyRegistry.checkName(name, true);
        String stored = tx.inTransaction(em -> ceremonies.take(em, Kind.REGISTRATION, current.userId(), ceremonyId));
        RegistrationResult result;
        PublicKeyCredentialCreationOptions request;
        try {
            request = PublicKeyCredentialCreationOptions.fromJson(stored);
            result = rp.finishRegistration(FinishRegistrationOptions.builder().request(request)
                    .response(PublicKeyCredential.parseRegistrationResponseJson(credentialJson))
                    .build());
        } catch (IOException | RegistrationFailedException | IllegalArgumentException e) {
            throw AccountsException.of(ErrorCode.INVALID_WEBAUTHN_RESPONSE,
                    "The passkey registration did not verify; try again.");
        }
        if (request.getUser().getId().size() != UserHandles.BYTES) { // begun with the legacy handle, before an upgrade
            throw AccountsException.of(ErrorCode.INVALID_CEREMONY, "This passkey ceremony is out of date; start again.");
        }
        return registry.add(current, result, checked, client);
    }

    /** The user's passkeys, oldest first. */
    public List<PasskeyInfo> list(long userId) {
        return registry.list(userId);
    }

    /** Renames one of the user's passkeys; {@code not_found} for an id that is not theirs. */
    public PasskeyInfo rename(long userId, long passkeyId, String name) {
        return registry.rename(userId, passkeyId, name);
    }

    /** Removes one of the user's passkeys; {@code not_found} for an id that is not theirs. */
    public void remove(Authenticated current, long passkeyId, ClientInfo client) {
        registry.remove(current, passkeyId, client);
    }

    /** Options for a passwordless sign-in, at most so many per client address; {@code throttled} past that. */
    public PasskeyOptions signInOptions(ClientInfo client) {
        return signIns.options(client);
    }

    /** Signs in with a passkey alone (complete by itself); {@code invalid_credentials} if it does not verify. */
    public SignedIn signIn(String ceremonyId, String credentialJson, ClientInfo client) {
        return signIns.signIn(ceremonyId, credentialJson, client);
    }

    /**
     * Begins a passwordless sign-in (discoverable credentials: no user named); the caller limits how often. User
     * verification is required: the sign-in is complete by itself only as possession plus PIN or biometrics.
     */
    PasskeyOptions beginSignIn(EntityManager em) {
        AssertionRequest request = rp.startAssertion(StartAssertionOptions.builder()
                .userVerification(UserVerificationRequirement.REQUIRED)
                .timeout(Ceremonies.LIFETIME.toMillis()).build());
        String ceremonyId = ceremonies.begin(em, Kind.SIGN_IN, null,
                request.getPublicKeyCredentialRequestOptions().getChallenge().getBase64Url(), write(request::toJson));
        return new PasskeyOptions(ceremonyId, publicKey(write(request::toCredentialsGetJson)));
    }

    /** Whether the user has a passkey; in the caller's transaction. */
    public boolean has(EntityManager em, long userId) {
        return !Sql.query(em, "select id from passkey_credentials where user_id = ? fetch first 1 rows only",
                rs -> rs.getLong(1), userId).isEmpty();
    }

    /**
     * Begins the passkey second step of {@code userId}'s sign-in, in the caller's transaction: a ceremony bound to
     * the {@code mfa_token} of that sign-in (by its digest) and replacing any that token began before, options naming
     * only the user's passkeys ({@code userHandle}, {@code allowCredentials}). User verification is preferred: the
     * password was the first factor.
     */
    public PasskeyOptions beginSecondStep(EntityManager em, long userId, String mfaTokenDigest) {
        AssertionRequest request = userAssertion(em, userId, UserVerificationRequirement.PREFERRED);
        String ceremonyId = ceremonies.beginSecondStep(em, userId, mfaTokenDigest,
                request.getPublicKeyCredentialRequestOptions().getChallenge().getBase64Url(), write(request::toJson));
        return new PasskeyOptions(ceremonyId, publicKey(write(request::toCredentialsGetJson)));
    }

    /**
     * Assertion options limited to the user's passkeys ({@code allowCredentials}) that name no user handle: a user's
     * passkeys may carry two (the legacy one and the random one), and Yubico would hold a named handle against the one
     * the assertion returns; the caller checks the verified passkey is the user's.
     */
    AssertionRequest userAssertion(EntityManager em, long userId, UserVerificationRequirement verification) {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        random.nextBytes(challenge);
        return AssertionRequest.builder().publicKeyCredentialRequestOptions(PublicKeyCredentialRequestOptions.builder()
                .challenge(new ByteArray(challenge)).rpId(rp.getIdentity().getId())
                .allowCredentials(credentials.ofUser(em, userId).stream().map(CredentialTable::descriptor).toList())
                .userVerification(verification).timeout(Ceremonies.LIFETIME.toMillis()).build()).build();
    }

    /**
     * Begins a re-authentication of {@code userId}'s session, in the caller's transaction: a ceremony begun for that
     * user, options naming only their passkeys. User verification is required: the assertion stands in for the
     * password.
     */
    public PasskeyOptions beginReauthentication(EntityManager em, long userId) {
        AssertionRequest request = userAssertion(em, userId, UserVerificationRequirement.REQUIRED);
        String ceremonyId = ceremonies.begin(em, Kind.REAUTHENTICATION, userId,
                request.getPublicKeyCredentialRequestOptions().getChallenge().getBase64Url(), write(request::toJson));
        return new PasskeyOptions(ceremonyId, publicKey(write(request::toCredentialsGetJson)));
    }

    /**
     * Uses up a re-authentication ceremony begun for {@code userId} ({@code invalid_ceremony} otherwise) and verifies
     * the assertion against it, as {@link #verifySecondStep} does: {@link SecondStep#accept accepted} in the
     * transaction that records the proof.
     */
    public SecondStep verifyReauthentication(long userId, String ceremonyId, String credentialJson) {
        String stored = tx.inTransaction(em -> ceremonies.take(em, Kind.REAUTHENTICATION, userId, ceremonyId));
        Optional<Verified> verified = check(stored, credentialJson, passkey -> {
        }).filter(v -> v.passkey().userId() == userId && v.counterValid());
        return new SecondStep(verified.orElse(null));
    }

    /**
     * Uses up a passwordless sign-in ceremony ({@code invalid_ceremony} if there is none live by that id) and verifies
     * the assertion against it as the proof of {@code userId}'s account (linking a provider to it): a passkey of
     * another user, or one whose counter went back, fails like a bad signature; what it gives is
     * {@link SecondStep#accept accepted} in the transaction that links.
     */
    public SecondStep verifyAccountProof(long userId, String ceremonyId, String credentialJson) {
        String stored = tx.inTransaction(em -> ceremonies.take(em, Kind.SIGN_IN, null, ceremonyId));
        Optional<Verified> verified = check(stored, credentialJson, passkey -> {
        }).filter(v -> v.passkey().userId() == userId && v.counterValid());
        return new SecondStep(verified.orElse(null));
    }

    /**
     * Uses up the ceremony ({@code invalid_ceremony} if there is none live by that id) and verifies the assertion
     * against it; a ceremony of another kind or begun for another {@code mfa_token} (even one of the same user) fails
     * like a bad signature; what it gives is {@link SecondStep#accept accepted} in the transaction that completes the
     * sign-in.
     */
    public SecondStep verifySecondStep(long userId, String mfaTokenDigest, String ceremonyId, String credentialJson) {
        Ceremonies.Taken taken = tx.inTransaction(em -> ceremonies.takeAny(em, ceremonyId));
        if (taken.kind() != Kind.SECOND_STEP || !sameDigest(taken.mfaTokenDigest(), mfaTokenDigest)) {
            return new SecondStep(null); // another kind of ceremony, or another sign-in's: a failed assertion
        }
        Optional<Verified> verified = check(taken.request(), credentialJson, passkey -> {
        }).filter(v -> v.passkey().userId() == userId && v.counterValid());
        return new SecondStep(verified.orElse(null));
    }

    /**
     * A second step's (or a re-authentication's) assertion, checked against its ceremony; null {@code verified}: it
     * did not verify.
     */
    public final class SecondStep {
        private final Verified verified;

        private SecondStep(Verified verified) {
            this.verified = verified;
        }

        /**
         * Whether the assertion verified, is of the user's passkey and moved its counter forward; if so the counter
         * is stored in the caller's transaction.
         */
        public boolean accept(EntityManager em) {
            return verified != null && advance(em, verified);
        }
    }

    /**
     * Uses up a ceremony of {@code kind} and verifies the assertion against it: the passkey it was made with and
     * whether its counter went forward, or {@code refusal} when it does not verify (unknown credential, a user handle
     * that is not the credential's user, bad signature, wrong origin, RP ID or challenge); {@code onKnownFailure}
     * hears of a refused assertion of a stored passkey first.
     */
    Verified verify(Kind kind, String ceremonyId, String credentialJson, AccountsException refusal,
                    Consumer<CredentialTable.Stored> onKnownFailure) {
        String stored = tx.inTransaction(em -> ceremonies.take(em, kind, null, ceremonyId));
        return check(stored, credentialJson, onKnownFailure).orElseThrow(() -> refusal);
    }

    private Optional<Verified> check(String stored, String credentialJson,
                                     Consumer<CredentialTable.Stored> onKnownFailure) {
        PublicKeyCredential<AuthenticatorAssertionResponse, ClientAssertionExtensionOutputs> response;
        try {
            response = PublicKeyCredential.parseAssertionResponseJson(credentialJson);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        AssertionResult verified;
        try {
            verified = rp.finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(stored)).response(response).build());
        } catch (IOException | AssertionFailedException | IllegalArgumentException e) {
            verified = null;
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof GeneralSecurityException)) {
                throw e;
            }
            verified = null; // Yubico's wrapping of a signature that is not even DER
        }
        AssertionResult result = verified;
        Optional<CredentialTable.Stored> passkey = tx.read(em -> credentials.byCredentialId(em, response.getId()));
        if (result == null || !result.isSuccess()) {
            passkey.ifPresent(onKnownFailure);
            return Optional.empty();
        }
        return passkey.map(p -> new Verified(p, result.getSignatureCount(), result.isSignatureCounterValid(),
                result.isBackedUp()));
    }

    /**
     * Stores a verified assertion's counter and backup state, compare-and-set: of two assertions racing with one
     * counter value only one goes through; false for the other.
     */
    boolean advance(EntityManager em, Verified verified) {
        return Sql.update(em, """
                        update passkey_credentials set signature_count = ?, backed_up = ?, last_used_at = ?
                        where id = ? and (signature_count < ? or (signature_count = 0 and ? = 0))""",
                verified.signatureCount(), verified.backedUp(), clock.instant(), verified.passkey().id(),
                verified.signatureCount(), verified.signatureCount()) == 1;
    }

    /** Deletes up to {@code batch} expired ceremonies; returns how many. */
    public int purgeExpired(int batch) {
        return tx.inTransaction(em -> ceremonies.purgeExpired(em, batch));
    }

    /** A verified assertion: the passkey, the counter it reported, whether that went forward, its backup state. */
    record Verified(CredentialTable.Stored passkey, long signatureCount, boolean counterValid, boolean backedUp) {
    }

    /** Whether a ceremony's stored {@code mfa_token} digest is the presented one, in constant time. */
    private static boolean sameDigest(String stored, String presented) {
        return stored != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The options of Yubico's {@code navigator.credentials} JSON, without its {@code publicKey} wrapper. */
    private static String publicKey(String credentialsJson) {
        try {
            return JSON.writeValueAsString(JSON.readTree(credentialsJson).get("publicKey"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(JsonWriter writer) {
        try {
            return writer.write();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface JsonWriter {
        String write() throws JsonProcessingException;
    }
}
