package io.github.accounts.core.passkey;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.metrics.SignInMethod;
import io.github.accounts.core.session.SignedIn;

import java.util.List;

/**
 * {@link Passkeys} over the WebAuthn machinery ({@link WebAuthn}, null when the host set none up): the checks
 * before a ceremony (input present, the session's recent proof for adding or removing one) and the sign-in metrics.
 */
public final class PasskeyService implements Passkeys {
    private final FlowContext ctx;
    private final WebAuthn flows;

    /** {@code flows} is null when passkeys are not set up. */
    public PasskeyService(FlowContext ctx, WebAuthn flows) {
        this.ctx = ctx;
        this.flows = flows;
    }

    @Override
    public boolean enabled() {
        return flows != null;
    }

    @Override
    public PasskeyOptions registrationOptions(Authenticated current) {
        WebAuthn p = flows();
        ctx.beforeAddingWayIn(current);
        return p.registrationOptions(current);
    }

    @Override
    public PasskeyInfo add(Authenticated current, String ceremonyId, String credentialJson, String name,
                           ClientInfo client) {
        WebAuthn p = flows();
        FieldError.requirePresent("ceremony_id", ceremonyId);
        FieldError.requirePresent("credential", credentialJson);
        ctx.beforeAddingWayIn(current);
        return p.register(current, ceremonyId, credentialJson, name, ClientInfo.required(client));
    }

    @Override
    public List<PasskeyInfo> list(Authenticated current) {
        return flows().list(current.userId());
    }

    @Override
    public PasskeyInfo rename(Authenticated current, long passkeyId, String name) {
        return flows().rename(current.userId(), passkeyId, name);
    }

    @Override
    public void remove(Authenticated current, long passkeyId, ClientInfo client) {
        WebAuthn p = flows();
        ctx.beforeRemovingWayIn(current);
        p.remove(current, passkeyId, ClientInfo.required(client));
    }

    @Override
    public PasskeyOptions signInOptions(ClientInfo client) {
        return flows().signInOptions(ClientInfo.required(client));
    }

    @Override
    public SignedIn signIn(String ceremonyId, String credentialJson, ClientInfo client) {
        WebAuthn p = flows();
        FieldError.requirePresent("ceremony_id", ceremonyId);
        FieldError.requirePresent("credential", credentialJson);
        return ctx.metrics().signIn(SignInMethod.PASSKEY, () -> p.signIn(ceremonyId, credentialJson,
                ClientInfo.required(client)), SignedIn::needsSecondFactor);
    }

    /** Deletes up to {@code batch} expired ceremonies; returns how many. */
    public int purgeExpired(int batch) {
        return flows == null ? 0 : flows.purgeExpired(batch);
    }

    private WebAuthn flows() {
        if (flows == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "Passkeys are not set up on this server.");
        }
        return flows;
    }
}
