package io.github.accounts.core;

import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.Concurrently.Outcome;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.user.NewUser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's expected races (two sign-ups with one email, two first failures for one throttle key) are ordinary
 * outcomes: nothing is logged about them, least of all the SQL with the email or key in it.
 */
@OnEachDatabase
class ExpectedRacesTest extends StorageTest {

    /** What {@code work} made anyone write to standard error (where the tests' slf4j-simple logs go). */
    private static String logOf(Supplier<?> work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            work.get();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void racingSignUpsWithOneEmailLogNothing() {
        String email = uniqueEmail("race.signup");
        List<List<Outcome<SignedIn>>> outcomes = new ArrayList<>();
        String log = logOf(() -> outcomes.add(Concurrently.run(12,
                i -> accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, strongPassword()), ClientInfo.unknown()))));

        assertThat(log).doesNotContain(email).doesNotContain("23505").doesNotContainIgnoringCase("duplicate")
                .doesNotContain("WARN").doesNotContain("ERROR");
        assertThat(outcomes.get(0)).filteredOn(Outcome::succeeded).hasSize(1);
        assertThat(outcomes.get(0)).filteredOn(o -> !o.succeeded()).allSatisfy(o -> assertThat(o.failure())
                .isInstanceOfSatisfying(AccountsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EMAIL_TAKEN)));
    }

    @Test
    void racingFirstFailuresForOneKeyLogNothing() {
        String email = uniqueEmail("race.throttle");
        String log = logOf(() -> Concurrently.run(12,
                i -> accounts.signIns().signIn(email, strongPassword(), new ClientInfo("bot", "198.51.100.200"))));

        assertThat(log).doesNotContain("23505").doesNotContainIgnoringCase("duplicate").doesNotContain("sign-in:")
                .doesNotContain("WARN").doesNotContain("ERROR");
    }

    /** Writes to the real stream as well, so a failing run still shows its log. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
