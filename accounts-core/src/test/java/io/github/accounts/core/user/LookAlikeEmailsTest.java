package io.github.accounts.core.user;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import org.junit.jupiter.api.Test;

import static io.github.accounts.core.testing.Failures.failsValidation;
import static io.github.accounts.core.testing.Failures.failsWith;
import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/** Emails that look alike are one account, stored once in NFKC; names that show nothing are refused. */
@OnEachDatabase
class LookAlikeEmailsTest extends StorageTest {
    private SignedIn signUp(String email, String fname, String password) {
        return accounts.signIns().signUp(new NewUser(email, fname, LNAME, password), ClientInfo.unknown());
    }

    /** The same address with its ASCII letters in their full-width forms (U+FF01..U+FF5E). */
    private static String fullWidth(String ascii) {
        StringBuilder b = new StringBuilder();
        ascii.chars().forEach(c -> b.append(c > 0x20 && c < 0x7F ? (char) (c - 0x21 + 0xFF01) : (char) c));
        return b.toString();
    }

    @Test
    void aFullWidthSpellingOfAnEmailIsTheSameAccount() {
        String email = uniqueEmail("bob");
        String password = strongPassword();
        SignedIn first = signUp(fullWidth(email), FNAME, password);

        assertThat(first.user().email()).isEqualTo(email);
        assertThat(DatabaseRows.one(t.dataSource, "select email from users where id = ?", first.user().id()))
                .containsEntry("email", email);
        failsWith(ErrorCode.EMAIL_TAKEN, () -> signUp(email, FNAME, strongPassword()));
        assertThat(accounts.signIns().signIn(email, password, ClientInfo.unknown()).user().id()).isEqualTo(first.user().id());
        assertThat(accounts.signIns().signIn(fullWidth(email.toUpperCase()), password, ClientInfo.unknown()).user().id())
                .isEqualTo(first.user().id());
    }

    @Test
    void anEmailWithAnInvisibleCharacterIsRefusedRatherThanASecondAccount() {
        String email = uniqueEmail("carol");
        signUp(email, FNAME, strongPassword());
        String lookAlike = email.replace("@", "\u200B@");
        failsValidation(() -> signUp(lookAlike, FNAME, strongPassword()), "email", "invalid");
        failsValidation(() -> signUp("\u202E" + email, FNAME, strongPassword()), "email", "invalid");
    }

    @Test
    void namesOfOnlyZeroWidthOrBidiCharactersAreRefusedOnSignUpAndProfileChange() {
        failsValidation(() -> signUp(uniqueEmail("zw"), "\u200B\u200C", strongPassword()), "fname", "invalid");
        failsValidation(() -> signUp(uniqueEmail("bidi"), "Ann\u202Eeiram", strongPassword()), "fname", "invalid");
        SignedIn user = signUp(uniqueEmail("dave"), FNAME, strongPassword());
        failsValidation(() -> accounts.profile().update(accounts.sessions().authenticate(user.session().sessionToken()),
                "\u2028", "Smith\u2029Jones"), "fname", "required", "lname", "invalid");
    }
}
