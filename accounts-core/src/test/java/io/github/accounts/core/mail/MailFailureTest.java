package io.github.accounts.core.mail;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.user.NewUser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/** Mail that is not delivered becomes a {@code mail.failed} event of the account: its kind and Message-ID only. */
@OnEachDatabase
class MailFailureTest extends StorageTest {
    private static final int WAIT_MILLIS = 5_000;

    private Accounts accountsMailingWith(Mailer mailer) {
        return Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config()).clock(t.clock).mailer(mailer).housekeeping(false).build();
    }

    private static Authenticated signUp(Accounts accounts, String hint) {
        SignedIn signedIn = accounts.signIns().signUp(new NewUser(uniqueEmail(hint), FNAME, LNAME, strongPassword()),
                ClientInfo.unknown());
        return accounts.sessions().authenticate(signedIn.session().sessionToken());
    }

    private static AccountEvent awaitFailure(Accounts accounts, Authenticated me) throws InterruptedException {
        for (int waited = 0; waited < WAIT_MILLIS; waited += 10) {
            List<AccountEvent> failed = accounts.events().page(me, null, 100).events().stream()
                    .filter(e -> e.type().equals(AccountEvent.MAIL_FAILED)).toList();
            if (!failed.isEmpty()) {
                assertThat(failed).hasSize(1);
                return failed.get(0);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("No mail.failed event within " + WAIT_MILLIS + " ms");
    }

    @Test
    void aMailerThatThrowsLeavesAMailFailedEventWithoutTheToken() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (Accounts failing = accountsMailingWith((to, subject, body) -> {
            bodies.add(body);
            throw new IllegalStateException("the mail service is down");
        })) {
            Authenticated me = signUp(failing, "mail.throws");

            failing.mail().requestEmailVerification(me);

            AccountEvent failed = awaitFailure(failing, me);
            assertThat(failed.detail()).isEqualTo(Map.of("kind", "email_verification"));
            assertThat(bodies).singleElement().asString().contains("token");
        }
    }

    @Test
    void aMailerThatGivesUpLaterReportsTheMessageIdIntoTheEvent() throws Exception {
        Mailer later = new Mailer() {
            @Override
            public void send(String to, String subject, String body) {
                throw new AssertionError("accounts must pass a failure callback");
            }

            @Override
            public void send(String to, String subject, String body, Failure failure) {
                new Thread(() -> failure.failed("<m-1@example.com>", "550 mailbox unavailable")).start();
            }
        };
        try (Accounts failing = accountsMailingWith(later)) {
            Authenticated me = signUp(failing, "mail.later");

            failing.mail().requestPasswordReset(me.user().email(), ClientInfo.unknown());

            AccountEvent failed = awaitFailure(failing, me);
            assertThat(failed.detail()).isEqualTo(Map.of("kind", "password_reset", "message_id", "<m-1@example.com>"));
        }
    }
}
