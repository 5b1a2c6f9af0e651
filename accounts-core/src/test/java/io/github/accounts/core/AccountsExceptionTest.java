package io.github.accounts.core;

import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.user.NewUser;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one exception of accounts and its codes. */
class AccountsExceptionTest {
    /** The codes of the HTTP contract's table. */
    private static final Set<String> CONTRACT_CODES = Set.of("malformed_json", "validation_failed", "invalid_credentials",
            "unauthenticated", "invalid_update_token", "invalid_token", "wrong_password", "not_found", "email_taken",
            "payload_too_large", "unsupported_media_type", "throttled", "overloaded", "unavailable",
            "internal_error", // the 500 the README names for unexpected failures
            "account_disabled", "forbidden", "invalid_webauthn_response", "invalid_ceremony", // version 2
            "invalid_mfa_token", "invalid_mfa_code", "mfa_already_enabled", "mfa_not_enabled",
            "reauthentication_required", "email_not_verified", "mfa_required", // version 3
            "invalid_webhook_url");

    @Test
    void everyCodeIsOneOfTheContractsCodes() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName)).allMatch(CONTRACT_CODES::contains);
        assertThat(ErrorCode.INVALID_UPDATE_TOKEN.wireName()).isEqualTo("invalid_update_token");
    }

    @Test
    void expectedFailuresCarryNoStackTrace() {
        assertThat(AccountsException.of(ErrorCode.WRONG_PASSWORD, "no").getStackTrace()).isEmpty();
        assertThat(AccountsException.retryLater(ErrorCode.THROTTLED, "wait", Duration.ofSeconds(3)).getStackTrace()).isEmpty();
        assertThat(AccountsException.invalid(List.of(new FieldError("email", "required", "Email is required.")))
                .getStackTrace()).isEmpty();
    }

    @Test
    void unavailableKeepsItsCauseForTheLogButNotInTheMessage() {
        SQLTransientConnectionException cause = new SQLTransientConnectionException("connection refused: db.internal:5432");
        AccountsException e = AccountsException.unavailable(cause);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.getMessage()).doesNotContain("db.internal");
        assertThat(e.retryAfter()).isPresent();
    }

    @Test
    void invalidInputNeedsAtLeastOneFieldError() {
        assertThatThrownBy(() -> AccountsException.invalid(List.of())).isInstanceOf(IllegalArgumentException.class);
        AccountsException e = AccountsException.invalid(List.of(new FieldError("fname", "required", "fname is required.")));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("fname");
    }

    @Test
    void issuedSessionAndNewUserNeverPrintTheirSecrets() {
        IssuedSession s = new IssuedSession(1, "session-secret", "update-secret", null, null);
        assertThat(s.toString()).doesNotContain("secret");
        assertThat(new NewUser("a@example.com", "A", "B", "pw-secret").toString()).doesNotContain("secret");
    }
}
