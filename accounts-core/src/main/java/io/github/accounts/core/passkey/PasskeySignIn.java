package io.github.accounts.core.passkey;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.config.ThrottleLimits.Rate;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.passkey.Ceremonies.Kind;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;

import java.util.Map;

/**
 * Passwordless sign-in: options limited per client address (each writes a ceremony row), then an assertion that
 * {@link WebAuthn#verify verifies} becomes a session, complete by itself (a passkey is multi-factor). A passkey whose
 * signature counter went back is refused and recorded as {@code session.sign_in_failed} with reason
 * {@code counter_regressed}; so is any assertion of a known passkey that does not verify. A disabled account is
 * {@code account_disabled}, as for the right password. Thread-safe.
 */
final class PasskeySignIn {
    static final String METHOD = "passkey";
    private static final String OPTIONS = "passkey-options";

    private final Transactions tx;
    private final WebAuthn passkeys;
    private final UserSessions sessions;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final Rate optionsRate;
    private final EventLog events;

    PasskeySignIn(Transactions tx, WebAuthn passkeys, UserSessions sessions, SignInThrottle throttle, ThrottleKeys keys,
                  Rate optionsRate, EventLog events) {
        this.tx = tx;
        this.passkeys = passkeys;
        this.sessions = sessions;
        this.throttle = throttle;
        this.keys = keys;
        this.optionsRate = optionsRate;
        this.events = events;
    }

    PasskeyOptions options(ClientInfo client) {
        String addressKey = keys.address(OPTIONS, client.ip());
        return tx.inTransaction(em -> {
            if (addressKey != null) {
                throttle.rate(em, addressKey, optionsRate);
            }
            return passkeys.beginSignIn(em);
        });
    }

    SignedIn signIn(String ceremonyId, String credentialJson, ClientInfo client) {
        WebAuthn.Verified verified = passkeys.verify(Kind.SIGN_IN, ceremonyId, credentialJson, invalidCredentials(),
                stored -> recordFailure(stored, "invalid_assertion", client));
        CredentialTable.Stored passkey = verified.passkey();
        if (!verified.counterValid()) {
            recordFailure(passkey, "counter_regressed", client);
            throw invalidCredentials();
        }
        return tx.inTransaction(em -> {
            User user = em.find(User.class, passkey.userId());
            if (user == null) {
                throw invalidCredentials(); // deleted while we verified
            }
            if (user.isDisabled()) {
                throw User.disabled();
            }
            if (!passkeys.advance(em, verified)) {
                throw invalidCredentials(); // another assertion with this counter value went through first
            }
            IssuedSession session = sessions.issue(em, user, client);
            events.record(em, user.getId(), AccountEvent.SIGNED_IN, session.id(), client,
                    Map.of("method", METHOD, "passkey_id", passkey.id()));
            return new SignedIn(user.toInfo(), session);
        });
    }

    private void recordFailure(CredentialTable.Stored passkey, String reason, ClientInfo client) {
        tx.inTransaction(em -> events.record(em, passkey.userId(), AccountEvent.SIGN_IN_FAILED, null, client,
                Map.of("method", METHOD, "reason", reason, "passkey_id", passkey.id())));
    }

    private static AccountsException invalidCredentials() {
        return AccountsException.of(ErrorCode.INVALID_CREDENTIALS, "The passkey was not accepted.");
    }
}
