package io.github.accounts.core.passkey;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.AuthenticatorTransport;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import io.github.accounts.core.internal.Sql;
import io.github.accounts.core.internal.Transactions;
import jakarta.persistence.EntityManager;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code passkey_credentials} table, and Yubico's view of it. Each credential is read with the user handle it
 * was registered with: the user's random one ({@link UserHandles}), or, for passkeys registered before the user had
 * one (up to its {@code legacy_until_id}), the legacy handle, the user id as 8 big-endian bytes. Yubico's
 * "username" is the email. {@link #lookup} finds a credential only together with the handle it was registered with, so an assertion that
 * names another user's handle finds nothing, and both kinds of handle keep signing in. Credential ids, COSE keys and
 * handles are stored base64url. Thread-safe.
 */
final class CredentialTable implements CredentialRepository {
    /** The columns of a credential, and its random handle (null: it carries the legacy one); FROM follows. */
    private static final String COLUMNS = "c.id, c.user_id, c.credential_id, c.public_key_cose, c.signature_count, "
            + "c.transports, c.backup_eligible, c.backed_up, c.name, c.created_at, c.last_used_at, "
            + "case when c.id > h.legacy_until_id then h.user_handle end as user_handle";
    /** Every query of credentials reads from this, so each comes with its handle. */
    private static final String FROM = " from passkey_credentials c"
            + " left join passkey_user_handles h on h.user_id = c.user_id";

    private final Transactions tx;

    CredentialTable(Transactions tx) {
        this.tx = tx;
    }

    /** What a credential row holds, for verification and for its owner's list. */
    record Stored(long id, long userId, ByteArray credentialId, ByteArray publicKeyCose, long signatureCount,
                  List<String> transports, boolean backupEligible, boolean backedUp, String name, Instant createdAt,
                  Instant lastUsedAt, ByteArray userHandle) {
        PasskeyInfo toInfo() {
            return new PasskeyInfo(id, name, createdAt, lastUsedAt, transports);
        }

        RegisteredCredential toRegistered() {
            return RegisteredCredential.builder().credentialId(credentialId).userHandle(userHandle)
                    .publicKeyCose(publicKeyCose).signatureCount(signatureCount).backupEligible(backupEligible)
                    .backupState(backedUp).build();
        }
    }

    /** The legacy handle of a user: their id as 8 bytes, what passkeys registered before random handles carry. */
    static ByteArray handle(long userId) {
        return new ByteArray(ByteBuffer.allocate(Long.BYTES).putLong(userId).array());
    }

    /** The user id of a legacy handle, empty for any other. */
    static Optional<Long> legacyUserId(ByteArray handle) {
        byte[] bytes = handle.getBytes();
        return bytes.length == Long.BYTES ? Optional.of(ByteBuffer.wrap(bytes).getLong()) : Optional.empty();
    }

    @Override
    public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String email) {
        return tx.read(em -> Sql.query(em, "select " + COLUMNS
                + FROM + " join users u on u.id = c.user_id where u.email = ?", CredentialTable::row,
                email)).stream().map(CredentialTable::descriptor).collect(Collectors.toSet());
    }

    @Override
    public Optional<ByteArray> getUserHandleForUsername(String email) {
        return tx.read(em -> Sql.query(em, "select id from users where email = ?", rs -> rs.getLong(1), email)
                .stream().findFirst().map(id -> UserHandles.of(em, id).orElse(handle(id))));
    }

    @Override
    public Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
        List<String> found = tx.read(em -> legacyUserId(userHandle)
                .map(id -> Sql.query(em, "select email from users where id = ?", rs -> rs.getString(1), id))
                .orElseGet(() -> Sql.query(em, "select u.email from users u join passkey_user_handles h"
                        + " on h.user_id = u.id where h.user_handle = ?", rs -> rs.getString(1),
                        userHandle.getBase64Url())));
        return found.stream().findFirst();
    }

    @Override
    public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
        return tx.read(em -> byCredentialId(em, credentialId)).filter(s -> s.userHandle().equals(userHandle))
                .map(Stored::toRegistered);
    }

    @Override
    public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
        return tx.read(em -> byCredentialId(em, credentialId)).stream().map(Stored::toRegistered)
                .collect(Collectors.toSet());
    }

    Optional<Stored> byCredentialId(EntityManager em, ByteArray credentialId) {
        return Sql.query(em, "select " + COLUMNS + FROM + " where c.credential_id = ?",
                CredentialTable::row, credentialId.getBase64Url()).stream().findFirst();
    }

    List<Stored> ofUser(EntityManager em, long userId) {
        return Sql.query(em, "select " + COLUMNS + FROM + " where c.user_id = ? order by c.id",
                CredentialTable::row, userId);
    }

    Optional<Stored> one(EntityManager em, long userId, long id) {
        return Sql.query(em, "select " + COLUMNS + FROM + " where c.id = ? and c.user_id = ?",
                CredentialTable::row, id, userId).stream().findFirst();
    }

    static PublicKeyCredentialDescriptor descriptor(Stored s) {
        return PublicKeyCredentialDescriptor.builder().id(s.credentialId())
                .transports(s.transports().stream().map(AuthenticatorTransport::of).collect(Collectors.toSet()))
                .build();
    }

    private static Stored row(ResultSet rs) throws SQLException {
        String transports = rs.getString("transports");
        return new Stored(rs.getLong("id"), rs.getLong("user_id"), base64Url(rs.getString("credential_id")),
                base64Url(rs.getString("public_key_cose")), rs.getLong("signature_count"),
                transports.isEmpty() ? List.of() : Arrays.asList(transports.split(",")),
                rs.getBoolean("backup_eligible"), rs.getBoolean("backed_up"), rs.getString("name"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "last_used_at"),
                rs.getString("user_handle") == null ? handle(rs.getLong("user_id"))
                        : base64Url(rs.getString("user_handle")));
    }

    static ByteArray base64Url(String value) {
        try {
            return ByteArray.fromBase64Url(value);
        } catch (com.yubico.webauthn.data.exception.Base64UrlException e) {
            throw new IllegalStateException("A stored credential is not base64url", e);
        }
    }
}
