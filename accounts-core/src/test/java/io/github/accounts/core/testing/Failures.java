package io.github.accounts.core.testing;

import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Assertions on the failures of the service: which {@link ErrorCode}, which field errors. */
public final class Failures {
    private Failures() {
    }

    /** Asserts that {@code call} fails with {@code code}, and returns the failure for further checks. */
    public static AccountsException failsWith(ErrorCode code, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected %s", code).isInstanceOf(AccountsException.class);
        AccountsException e = (AccountsException) thrown;
        assertThat(e.code()).as("code of '%s'", e.getMessage()).isEqualTo(code);
        return e;
    }

    /** Asserts that {@code call} fails validation with exactly these (field, code) pairs, in any order. */
    public static List<FieldError> failsValidation(ThrowingCallable call, String... fieldThenCode) {
        AccountsException e = failsWith(ErrorCode.VALIDATION_FAILED, call);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < fieldThenCode.length; i += 2) {
            expected.add(fieldThenCode[i] + ":" + fieldThenCode[i + 1]);
        }
        assertThat(e.errors()).extracting(f -> f.field() + ":" + f.code()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(e.errors()).allSatisfy(f -> assertThat(f.message()).isNotBlank());
        return e.errors();
    }
}
