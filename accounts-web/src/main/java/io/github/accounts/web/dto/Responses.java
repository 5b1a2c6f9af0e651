package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.accounts.core.event.EventPage;
import io.github.accounts.core.mfa.TotpEnrolment;
import io.github.accounts.core.operator.UserPage;
import io.github.accounts.core.session.MfaRequired;

import java.time.Instant;
import java.util.List;

/** The response envelopes of the contract's routes. */
public final class Responses {
    private Responses() {
    }

    /** {@code {"user", "session"}}: sign-up and sign-in. */
    public record SignedInBody(UserBody user, SessionBody session) {
    }

    /** {@code {"mfa": {"mfa_token", "methods", "expires_at"}}}: the right password, and a second step to take. */
    public record MfaEnvelope(MfaBody mfa) {
        public static MfaEnvelope of(MfaRequired m) {
            return new MfaEnvelope(new MfaBody(m.mfaToken(), m.methods(), m.expiresAt()));
        }
    }

    /** The second step of a sign-in: its single-use token, the methods the user has, and its expiry. */
    public record MfaBody(String mfaToken, List<String> methods, Instant expiresAt) {
    }

    /** {@code {"secret", "otpauth_uri"}}: a started TOTP enrolment. */
    public record TotpEnrolmentBody(String secret, String otpauthUri) {
        public static TotpEnrolmentBody of(TotpEnrolment e) {
            return new TotpEnrolmentBody(e.secret(), e.otpauthUri());
        }
    }

    /** {@code {"recovery_codes": [...]}}: shown this once. */
    public record RecoveryCodesBody(List<String> recoveryCodes) {
    }

    /** {@code {"recovery_codes": [...], "other_sessions"}}: TOTP turned on; the codes are shown this once. */
    public record TotpEnabledBody(List<String> recoveryCodes, int otherSessions) {
    }

    /** {@code {"session"}}: refresh. */
    public record SessionEnvelope(SessionBody session) {
    }

    /** {@code {"user"}}. */
    public record UserEnvelope(UserBody user) {
    }

    /** {@code {"reauthenticated_until"}}: until when the session may add a way in. */
    public record ReauthenticatedBody(Instant reauthenticatedUntil) {
    }

    /** {@code {"csrf_token"}}: the cookie session's CSRF token again, e.g. after a page reload. */
    public record CsrfBody(String csrfToken) {
    }

    /** {@code {"sessions": [...]}}. */
    public record SessionList(List<ListedSessionBody> sessions) {
    }

    /** {@code {"events": [...], "next"}}: {@code next} is the {@code before} of the next page, null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EventList(List<EventBody> events, Long next) {
        public static EventList of(EventPage page) {
            return new EventList(page.events().stream().map(EventBody::of).toList(), page.next());
        }
    }

    /** {@code {"user"}} on admin routes. */
    public record ManagedUserEnvelope(ManagedUserBody user) {
    }

    /** {@code {"users": [...], "next"}}: {@code next} is the {@code after} of the next page, null on the last. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UserList(List<ManagedUserBody> users, Long next) {
        public static UserList of(UserPage page) {
            return new UserList(page.users().stream().map(ManagedUserBody::of).toList(), page.next());
        }
    }
}
