package io.github.accounts.core.passkey;

import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Jdbc;
import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.user.UserRules;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A user's stored passkeys: adding a verified registration, listing, renaming and removing, each change with its
 * account event in the same transaction. Another user's passkey id is {@code not_found}. Thread-safe.
 */
final class PasskeyRegistry {
    /** The name a passkey gets when its registration names none. */
    static final String DEFAULT_NAME = "Passkey";

    private final Transactions tx;
    private final CredentialTable credentials;
    private final EventLog events;
    private final Clock clock;

    PasskeyRegistry(Transactions tx, CredentialTable credentials, EventLog events, Clock clock) {
        this.tx = tx;
        this.credentials = credentials;
        this.events = events;
        this.clock = clock;
    }

    /** The trimmed name, {@link #DEFAULT_NAME} for none when {@code optional}; {@code validation_failed} if bad. */
    static String checkName(String raw, boolean optional) {
        if (optional && raw == null) {
            return DEFAULT_NAME;
        }
        List<FieldError> errors = new ArrayList<>();
        String name = UserRules.name("name", raw, errors);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        return name;
    }

    /**
     * Stores a verified registration (made for the user's random handle, which its row's id being newer than the
     * handle's {@code legacy_until_id} says); a credential id stored already (anyone's) is
     * {@code invalid_webauthn_response}.
     */
    PasskeyInfo add(Authenticated current, RegistrationResult result, String name, ClientInfo client) {
        Instant now = clock.instant();
        String transports = result.getKeyId().getTransports().orElse(new TreeSet<>()).stream()
                .map(AuthenticatorTransport::getId).collect(Collectors.joining(","));
        return tx.inTransaction(em -> {
            long id = Jdbc.insertUnlessDuplicate(em, """
                            insert into passkey_credentials (user_id, credential_id, public_key_cose, signature_count,
                            transports, aaguid, backup_eligible, backed_up, name, created_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", current.userId(),
                    result.getKeyId().getId().getBase64Url(), result.getPublicKeyCose().getBase64Url(),
                    result.getSignatureCount(), transports, aaguid(result.getAaguid()), result.isBackupEligible(),
                    result.isBackedUp(), name, now)
                    .orElseThrow(() -> AccountsException.of(ErrorCode.INVALID_WEBAUTHN_RESPONSE,
                            "This passkey is registered already."));
            events.record(em, current.userId(), AccountEvent.PASSKEY_ADDED, current.sessionId(), client,
                    Map.of("passkey_id", id));
            return credentials.one(em, current.userId(), id).orElseThrow().toInfo();
        });
    }

    List<PasskeyInfo> list(long userId) {
        return tx.read(em -> credentials.ofUser(em, userId)).stream().map(CredentialTable.Stored::toInfo).toList();
    }

    PasskeyInfo rename(long userId, long passkeyId, String raw) {
        String name = checkName(raw, false);
        return tx.inTransaction(em -> {
            if (Sql.update(em, "update passkey_credentials set name = ? where id = ? and user_id = ?", name, passkeyId,
                    userId) != 1) {
                throw notFound();
            }
            return credentials.one(em, userId, passkeyId).orElseThrow(PasskeyRegistry::notFound).toInfo();
        });
    }

    void remove(Authenticated current, long passkeyId, ClientInfo client) {
        tx.inTransaction(em -> {
            if (Sql.update(em, "delete from passkey_credentials where id = ? and user_id = ?", passkeyId,
                    current.userId()) != 1) {
                throw notFound();
            }
            events.record(em, current.userId(), AccountEvent.PASSKEY_REMOVED, current.sessionId(), client,
                    Map.of("passkey_id", passkeyId));
            return null;
        });
    }

    static AccountsException notFound() {
        return AccountsException.of(ErrorCode.NOT_FOUND, "You have no such passkey.");
    }

    /** An AAGUID as a UUID string; null for none or all zeros (what authenticators send that name no model). */
    private static String aaguid(ByteArray value) {
        if (value == null || value.size() != 16) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value.getBytes());
        UUID id = new UUID(b.getLong(), b.getLong());
        return id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0 ? null : id.toString();
    }
}
