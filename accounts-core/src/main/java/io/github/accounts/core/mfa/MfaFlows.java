package io.github.accounts.core.mfa;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.internal.flow.FlowContext;
import io.github.accounts.core.password.PasswordConfirmation;
import io.github.accounts.core.password.PasswordRules;
import io.github.accounts.core.session.RecentAuthentication;
import io.github.accounts.core.session.UserSessions;
import io.github.accounts.core.throttle.SignInThrottle;
import io.github.accounts.core.throttle.ThrottleKeys;
import io.github.accounts.core.user.User;
import jakarta.persistence.EntityManager;
import org.apache.commons.codec.binary.Base32;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A signed-in user's second factor: start TOTP enrolment, confirm it with a first code (which turns it on and gives
 * recovery codes), turn it off, get new recovery codes. Whatever takes a password checks it like a password change
 * (counted in the sign-in throttle); a wrong code while turning TOTP off counts there too. Without host keys
 * ({@code factor} null) every method answers {@code not_found}. Thread-safe.
 */
public final class MfaFlows implements Mfa {
    private final Transactions tx;
    private final SecondFactor factor;
    private final PasswordRules passwordRules;
    private final PasswordConfirmation confirmation;
    private final SignInThrottle throttle;
    private final ThrottleKeys keys;
    private final EventLog events;
    private final UserSessions sessions;
    private final Clock clock;
    private final String issuer;

    public MfaFlows(FlowContext ctx, SecondFactor factor, String issuer) {
        this.tx = ctx.tx();
        this.factor = factor;
        this.passwordRules = ctx.passwordRules();
        this.confirmation = ctx.confirmation();
        this.throttle = ctx.throttle();
        this.keys = ctx.keys();
        this.events = ctx.events();
        this.sessions = ctx.sessions();
        this.clock = ctx.clock();
        this.issuer = issuer;
    }

    @Override
    public boolean available() {
        return factor != null;
    }

    @Override
    public TotpEnrolment startTotp(Authenticated current, String password) {
        requireAvailable();
        requirePassword(current, password);
        RecentAuthentication.requireVerifiedEmail(current);
        confirmation.confirm(current, password);
        byte[] secret = factor.newSecret();
        tx.inTransaction(em -> {
            Instant now = clock.instant();
            User.require(em, current.userId());
            TotpCredential credential = TotpCredential.lockedOf(em, current.userId());
            if (credential == null) {
                em.persist(new TotpCredential(current.userId(), factor.keys().seal(current.userId(), secret), now));
            } else if (credential.isConfirmed()) {
                throw AccountsException.of(ErrorCode.MFA_ALREADY_ENABLED, "TOTP is on already.");
            } else {
                credential.replace(factor.keys().seal(current.userId(), secret), now);
            }
            return null;
        });
        String base32 = new Base32().encodeAsString(secret);
        return new TotpEnrolment(base32, otpauthUri(current.user().email(), base32));
    }

    @Override
    public TotpEnabled confirmTotp(Authenticated current, String code) {
        requireAvailable();
        FieldError.requirePresent("code", code);
        TotpEnabled enabled = tx.inTransaction(em -> {
            Instant now = clock.instant();
            TotpCredential credential = TotpCredential.lockedOf(em, current.userId());
            if (credential == null || credential.isConfirmed()) {
                throw AccountsException.of(ErrorCode.MFA_NOT_ENABLED, "No TOTP enrolment is pending.");
            }
            if (!factor.verifyTotp(credential, current.userId(), code.strip(), now)) {
                return null; // nothing changed
            }
            credential.confirm(now);
            User.require(em, current.userId()).mfaEnabled(true, now);
            events.record(em, current.userId(), AccountEvent.MFA_ENABLED, current.sessionId(), ClientInfo.unknown(),
                    Map.of("method", SecondFactor.TOTP));
            return new TotpEnabled(factor.newRecoveryCodes(em, current.userId(), now),
                    sessions.countOthers(em, current.userId(), current.sessionId()));
        });
        if (enabled == null) {
            throw SecondFactor.invalidCode();
        }
        return enabled;
    }

    /**
     * Turns TOTP off after the password and a TOTP or recovery code: the attempt is counted in the throttle before
     * the code is judged and taken back when it passes, so wrong codes here cost what wrong passwords do.
     */
    @Override
    public void disableTotp(Authenticated current, String password, String code) {
        requireAvailable();
        List<FieldError> errors = new ArrayList<>();
        confirmation.checkPresented(passwordRules, current, "password", password).ifPresent(errors::add);
        FieldError.missing("code", code).ifPresent(errors::add);
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
        confirmation.confirm(current, password);
        String accountKey = keys.account(SignInThrottle.SIGN_IN, current.user().email());
        boolean passed = tx.inTransaction(em -> {
            Instant now = clock.instant();
            requireEnabled(em, current.userId());
            throttle.reserve(em, accountKey, null);
            String method = factor.check(em, current.userId(), code, now);
            if (method == null) {
                return false; // the reservation stays: a wrong code counts
            }
            throttle.release(em, accountKey, null);
            em.createQuery("delete from TotpCredential c where c.userId = :u")
                    .setParameter("u", current.userId()).executeUpdate();
            RecoveryCode.deleteAll(em, current.userId());
            User.require(em, current.userId()).mfaEnabled(false, now);
            events.record(em, current.userId(), AccountEvent.MFA_DISABLED, current.sessionId(), ClientInfo.unknown(),
                    Map.of("method", method));
            return true;
        });
        if (!passed) {
            throw SecondFactor.invalidCode();
        }
    }

    @Override
    public List<String> regenerateRecoveryCodes(Authenticated current, String password) {
        requireAvailable();
        requirePassword(current, password);
        confirmation.confirm(current, password);
        return tx.inTransaction(em -> {
            requireEnabled(em, current.userId());
            List<String> codes = factor.newRecoveryCodes(em, current.userId(), clock.instant());
            events.record(em, current.userId(), AccountEvent.MFA_RECOVERY_CODES_REGENERATED, current.sessionId(),
                    ClientInfo.unknown(), Map.of());
            return codes;
        });
    }

    /** The Key URI authenticator apps read: issuer, account, secret, SHA1, 6 digits, 30 s. */
    private String otpauthUri(String email, String base32) {
        String i = encode(issuer);
        return "otpauth://totp/" + i + ":" + encode(email) + "?secret=" + base32 + "&issuer=" + i
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void requireAvailable() {
        if (factor == null) {
            throw AccountsException.of(ErrorCode.NOT_FOUND, "This server offers no second factor.");
        }
    }

    private void requirePassword(Authenticated current, String password) {
        confirmation.checkPresented(passwordRules, current, "password", password).ifPresent(e -> {
            throw AccountsException.invalid(List.of(e));
        });
    }

    private static void requireEnabled(EntityManager em, long userId) {
        if (!User.require(em, userId).isMfaEnabled()) {
            throw AccountsException.of(ErrorCode.MFA_NOT_ENABLED, "TOTP is not on.");
        }
    }
}
