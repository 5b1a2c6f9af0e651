// Over 300 lines on purpose: the one route table of the contract, each row beside the few lines that serve it.
package io.github.accounts.web;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.mfa.TotpEnabled;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.web.RouteAdapter.Answer;
import io.github.accounts.web.RouteAdapter.Body;
import io.github.accounts.web.RouteAdapter.Endpoint;
import io.github.accounts.web.RouteAdapter.Handler;
import io.github.accounts.web.dto.ListedSessionBody;
import io.github.accounts.web.dto.PasskeyBody;
import io.github.accounts.web.dto.Responses.CsrfBody;
import io.github.accounts.web.dto.Responses.EventList;
import io.github.accounts.web.dto.Responses.MfaEnvelope;
import io.github.accounts.web.dto.Responses.ReauthenticatedBody;
import io.github.accounts.web.dto.Responses.RecoveryCodesBody;
import io.github.accounts.web.dto.Responses.SessionEnvelope;
import io.github.accounts.web.dto.Responses.SessionList;
import io.github.accounts.web.dto.Responses.TotpEnabledBody;
import io.github.accounts.web.dto.Responses.TotpEnrolmentBody;
import io.github.accounts.web.dto.Responses.UserEnvelope;
import io.github.accounts.web.dto.UserBody;

import java.util.ArrayList;
import java.util.List;

import static io.github.accounts.web.RouteAdapter.pathId;

/**
 * The contract's HTTP surface as a table, and one handler per endpoint: read the body's fields, call
 * {@link Accounts}, return the answer's body (null for none). Status codes, JSON and failures are
 * {@link RouteAdapter}'s business.
 */
final class Endpoints {
    private final Accounts accounts;
    private final FederationEndpoints federation;
    private final ExportRoutes export;

    Endpoints(Accounts accounts) {
        this.accounts = accounts;
        this.federation = new FederationEndpoints(accounts);
        this.export = new ExportRoutes(accounts);
    }

    /** The whole HTTP surface, as a table. */
    List<Endpoint> all() {
        List<Endpoint> rows = new ArrayList<>(List.of(
                new Endpoint("POST", "/users", 201, this::signUp),
                new Endpoint("POST", "/sessions", 201, this::signIn),
                new Endpoint("POST", "/sessions/refresh", 200, this::refresh),
                new Endpoint("GET", "/sessions/csrf", 200, Body.NONE, this::csrfToken),
                new Endpoint("DELETE", "/sessions/current", 204, Body.NONE, this::signOut),
                new Endpoint("GET", "/sessions", 200, Body.NONE, this::listSessions),
                new Endpoint("DELETE", "/sessions/:id", 204, Body.NONE, this::revokeSession),
                new Endpoint("DELETE", "/sessions", 204, Body.NONE, this::signOutEverywhere),
                new Endpoint("GET", "/users/me", 200, Body.NONE, this::me),
                new Endpoint("PATCH", "/users/me", 200, this::updateProfile),
                new Endpoint("PUT", "/users/me/password", 204, this::changePassword),
                new Endpoint("DELETE", "/users/me", 204, this::deleteAccount),
                new Endpoint("GET", "/users/me/events", 200, Body.NONE, this::myEvents),
                new Endpoint("GET", "/users/me/export", 200, Body.NONE, export::export),
                new Endpoint("POST", "/password-resets", 202, this::requestPasswordReset),
                new Endpoint("POST", "/password-resets/confirm", 204, this::confirmPasswordReset),
                new Endpoint("POST", "/email-verifications", 202, Body.NONE, this::requestEmailVerification),
                new Endpoint("POST", "/email-verifications/confirm", 200, this::confirmEmailVerification),
                new Endpoint("POST", "/users/me/email", 202, this::requestEmailChange),
                new Endpoint("POST", "/users/me/email/confirm", 200, this::confirmEmailChange),
                new Endpoint("POST", "/users/me/passkeys/options", 200, passkeys(this::passkeyOptions)),
                new Endpoint("POST", "/users/me/passkeys", 201, passkeys(this::addPasskey)),
                new Endpoint("GET", "/users/me/passkeys", 200, Body.NONE, passkeys(this::listPasskeys)),
                new Endpoint("PATCH", "/users/me/passkeys/:id", 200, passkeys(this::renamePasskey)),
                new Endpoint("DELETE", "/users/me/passkeys/:id", 204, Body.NONE, passkeys(this::removePasskey)),
                new Endpoint("POST", "/sessions/passkey-options", 200, Body.NONE, passkeys(this::passkeySignInOptions)),
                new Endpoint("POST", "/sessions/passkey", 201, passkeys(this::signInWithPasskey)),
                new Endpoint("POST", "/sessions/mfa", 201, this::completeSignIn),
                new Endpoint("POST", "/sessions/email", 202, emailSignIn(this::requestEmailSignIn)),
                new Endpoint("POST", "/sessions/email/confirm", 201, emailSignIn(this::confirmEmailSignIn)),
                new Endpoint("POST", "/sessions/mfa/passkey-options", 200, passkeys(this::secondStepPasskeyOptions)),
                new Endpoint("POST", "/users/me/mfa/totp", 200, this::startTotp),
                new Endpoint("POST", "/users/me/mfa/totp/confirm", 200, this::confirmTotp),
                new Endpoint("DELETE", "/users/me/mfa/totp", 204, this::disableTotp),
                new Endpoint("POST", "/users/me/mfa/recovery-codes", 200, this::regenerateRecoveryCodes),
                new Endpoint("POST", "/sessions/reauthenticate", 200, this::reauthenticate),
                new Endpoint("POST", "/sessions/reauthenticate/passkey-options", 200, Body.NONE,
                        passkeys(this::reauthenticationPasskeyOptions))));
        rows.addAll(federation.all());
        return rows;
    }

    /** A passkey route: 404 before anything else when the host set no relying party up. */
    private Handler passkeys(Handler handler) {
        return x -> {
            if (!accounts.passkeys().enabled()) {
                throw HttpProblem.notFound();
            }
            return handler.handle(x);
        };
    }

    /** An email sign-in route: 404 before anything else when the host turned email sign-in off. */
    private Handler emailSignIn(Handler handler) {
        return x -> {
            if (!accounts.emailSignIn().enabled()) {
                throw HttpProblem.notFound();
            }
            return handler.handle(x);
        };
    }

    private Object requestEmailSignIn(Exchange x) {
        String email = x.body().text("email");
        accounts.emailSignIn().request(email, x.client());
        return null;
    }

    private Object confirmEmailSignIn(Exchange x) {
        JsonBody body = x.body();
        SignedIn signedIn = body.has("token") ? accounts.emailSignIn().confirmLink(body.text("token"), x.client())
                : accounts.emailSignIn().confirmCode(body.text("email"), body.text("code"), x.client());
        return signedIn.needsSecondFactor() ? new Answer(202, MfaEnvelope.of(signedIn.mfaRequired()))
                : x.signedIn(signedIn);
    }

    private Object signUp(Exchange x) {
        JsonBody body = x.body();
        NewUser input = new NewUser(body.text("email"), body.text("fname"), body.text("lname"), body.text("password"));
        return x.signedIn(accounts.signIns().signUp(input, x.client()));
    }

    private Object signIn(Exchange x) {
        JsonBody body = x.body();
        String email = body.text("email");
        String password = body.text("password");
        SignedIn signedIn = accounts.signIns().signIn(email, password, x.client());
        return signedIn.needsSecondFactor() ? new Answer(202, MfaEnvelope.of(signedIn.mfaRequired()))
                : x.signedIn(signedIn);
    }

    private Object completeSignIn(Exchange x) {
        JsonBody body = x.body();
        String mfaToken = body.text("mfa_token");
        if (body.has("ceremony_id") || body.has("credential")) {
            String ceremonyId = body.text("ceremony_id");
            String credential = body.object("credential");
            return x.signedIn(accounts.signIns().completeSignInWithPasskey(mfaToken, ceremonyId, credential, x.client()));
        }
        String code = body.text("code");
        return x.signedIn(accounts.signIns().completeSignIn(mfaToken, code, x.client()));
    }

    private Object secondStepPasskeyOptions(Exchange x) {
        String mfaToken = x.body().text("mfa_token");
        return ceremony(x, accounts.signIns().secondStepPasskeyOptions(mfaToken));
    }

    private Object startTotp(Exchange x) {
        Authenticated who = x.who();
        String password = x.body().text("password");
        return TotpEnrolmentBody.of(accounts.mfa().startTotp(who, password));
    }

    private Object confirmTotp(Exchange x) {
        Authenticated who = x.who();
        String code = x.body().text("code");
        TotpEnabled enabled = accounts.mfa().confirmTotp(who, code);
        return new TotpEnabledBody(enabled.recoveryCodes(), enabled.otherSessions());
    }

    private Object disableTotp(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String password = body.text("password");
        String code = body.text("code");
        accounts.mfa().disableTotp(who, password, code);
        return null;
    }

    private Object regenerateRecoveryCodes(Exchange x) {
        Authenticated who = x.who();
        String password = x.body().text("password");
        return new RecoveryCodesBody(accounts.mfa().regenerateRecoveryCodes(who, password));
    }

    private Object refresh(Exchange x) {
        JsonBody body = x.body();
        String updateToken = x.transport.cookieMode(x.req) ? x.transport.updateTokenCookie(x.req)
                : body.text("update_token");
        return new SessionEnvelope(x.issue(accounts.sessions().refresh(updateToken)));
    }

    private Object csrfToken(Exchange x) {
        return new CsrfBody(x.transport.csrfToken(x.who()));
    }

    private Object signOut(Exchange x) {
        accounts.sessions().signOut(x.who());
        x.transport.clear(x.req, x.res);
        return null;
    }

    private Object listSessions(Exchange x) {
        return new SessionList(accounts.sessions().list(x.who()).stream().map(ListedSessionBody::of).toList());
    }

    private Object revokeSession(Exchange x) {
        Authenticated who = x.who();
        long id = pathId(x, "You have no such session.");
        accounts.sessions().revoke(who, id);
        return null;
    }

    private Object signOutEverywhere(Exchange x) {
        accounts.sessions().signOutEverywhere(x.who());
        x.transport.clear(x.req, x.res);
        return null;
    }

    private Object me(Exchange x) {
        return new UserEnvelope(UserBody.of(x.who().user())); // read by authenticate in the same request
    }

    private Object updateProfile(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String fname = body.text("fname");
        String lname = body.text("lname");
        return new UserEnvelope(UserBody.of(accounts.profile().update(who, fname, lname)));
    }

    private Object changePassword(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String current = body.text("current_password");
        String replacement = body.text("new_password");
        accounts.profile().changePassword(who, current, replacement);
        return null;
    }

    private Object deleteAccount(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String password = body.text("password");
        accounts.profile().deleteAccount(who, password);
        x.transport.clear(x.req, x.res);
        return null;
    }

    private Object myEvents(Exchange x) {
        Authenticated who = x.who();
        return EventList.of(accounts.events().page(who, queryNumber(x, "before"), pageLimit(x)));
    }

    /** The {@code limit} of a page: 50 when absent, {@code validation_failed} when not a number. */
    static int pageLimit(Exchange x) {
        Long limit = queryNumber(x, "limit");
        return limit == null ? 50 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit));
    }

    /** A whole-number query parameter, null when absent or empty; {@code validation_failed} otherwise. */
    static Long queryNumber(Exchange x, String name) {
        String value = x.req.queryParams(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw AccountsException.invalid(List.of(
                    new FieldError(name, "invalid", name + " must be a whole number.")));
        }
    }

    /** Takes a body, or none: an inline {@code password} is the recent proof registration needs. */
    private Object passkeyOptions(Exchange x) {
        Authenticated who = x.who();
        if (JsonBody.present(x.req)) {
            proveInline(who, x.body());
        }
        return ceremony(x, accounts.passkeys().registrationOptions(who));
    }

    private Object addPasskey(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String ceremonyId = body.text("ceremony_id");
        String credential = body.object("credential");
        String name = body.text("name");
        proveInline(who, body);
        return new PasskeyBody.Envelope(PasskeyBody.of(accounts.passkeys().add(who, ceremonyId, credential, name,
                x.client())));
    }

    /**
     * A {@code password} in the body of a route that needs a recent proof is that proof, given in passing: it
     * re-authenticates the session ({@code wrong_password}, counted like a wrong sign-in) before the route runs.
     */
    private void proveInline(Authenticated who, JsonBody body) {
        String password = body.text("password");
        if (password != null) {
            accounts.reauthentication().withPassword(who, password);
        }
    }

    /**
     * {@code {password}}, {@code {code}} (TOTP), {@code {ceremony_id, credential}} (a passkey assertion) or
     * {@code {provider, return_to?}} (a round trip through a provider, answered with its authorization URL).
     */
    private Object reauthenticate(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        if (body.has("provider")) {
            return federation.reauthenticate(x, who, body);
        }
        if (body.has("ceremony_id") || body.has("credential")) {
            String ceremonyId = body.text("ceremony_id");
            String credential = body.object("credential");
            return new ReauthenticatedBody(accounts.reauthentication().withPasskey(who, ceremonyId, credential));
        }
        if (body.has("code")) {
            String code = body.text("code");
            return new ReauthenticatedBody(accounts.reauthentication().withCode(who, code));
        }
        String password = body.text("password");
        return new ReauthenticatedBody(accounts.reauthentication().withPassword(who, password));
    }

    private Object reauthenticationPasskeyOptions(Exchange x) {
        return ceremony(x, accounts.reauthentication().passkeyOptions(x.who()));
    }

    private Object listPasskeys(Exchange x) {
        return new PasskeyBody.PasskeyList(accounts.passkeys().list(x.who()).stream().map(PasskeyBody::of).toList());
    }

    private Object renamePasskey(Exchange x) {
        Authenticated who = x.who();
        long id = pathId(x, "You have no such passkey.");
        JsonBody body = x.body();
        String name = body.text("name");
        return new PasskeyBody.Envelope(PasskeyBody.of(accounts.passkeys().rename(who, id, name)));
    }

    private Object removePasskey(Exchange x) {
        Authenticated who = x.who();
        accounts.passkeys().remove(who, pathId(x, "You have no such passkey."), x.client());
        return null;
    }

    private Object passkeySignInOptions(Exchange x) {
        return ceremony(x, accounts.passkeys().signInOptions(x.client()));
    }

    private Object signInWithPasskey(Exchange x) {
        JsonBody body = x.body();
        String ceremonyId = body.text("ceremony_id");
        String credential = body.object("credential");
        return x.signedIn(accounts.passkeys().signIn(ceremonyId, credential, x.client()));
    }

    private static Object ceremony(Exchange x, PasskeyOptions options) {
        return new PasskeyBody.Ceremony(options.ceremonyId(), x.parse(options.optionsJson()));
    }

    private Object requestPasswordReset(Exchange x) {
        JsonBody body = x.body();
        String email = body.text("email");
        accounts.mail().requestPasswordReset(email, x.client());
        return null;
    }

    private Object confirmPasswordReset(Exchange x) {
        JsonBody body = x.body();
        String token = body.text("token");
        String replacement = body.text("new_password");
        accounts.mail().confirmPasswordReset(token, replacement, x.client());
        return null;
    }

    private Object requestEmailVerification(Exchange x) {
        accounts.mail().requestEmailVerification(x.who(), x.client());
        return null;
    }

    private Object confirmEmailVerification(Exchange x) {
        JsonBody body = x.body();
        String token = body.text("token");
        return new UserEnvelope(UserBody.of(accounts.mail().confirmEmailVerification(token)));
    }

    private Object requestEmailChange(Exchange x) {
        Authenticated who = x.who();
        JsonBody body = x.body();
        String newEmail = body.text("new_email");
        String password = body.text("password");
        accounts.emailChange().request(who, newEmail, password, x.client());
        return null;
    }

    private Object confirmEmailChange(Exchange x) {
        JsonBody body = x.body();
        String token = body.text("token");
        return new UserEnvelope(UserBody.of(accounts.emailChange().confirm(token, x.client())));
    }
}
