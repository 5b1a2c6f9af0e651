package io.github.accounts.core.mail;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.event.EventLog;
import io.github.accounts.core.internal.Transactions;
import io.github.accounts.core.passkey.PasskeyInfo;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.user.NewUser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.github.accounts.core.testing.TestUsers.FNAME;
import static io.github.accounts.core.testing.TestUsers.LNAME;
import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static io.github.accounts.core.testing.TestUsers.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security notices, mailed after commit from the account events: each exactly once, and none for a sign-in from a
 * device the user has used lately. "None" is checked after a later notice to the same user arrived: events reach
 * the notices in commit order and mail leaves in that order, so anything the earlier event sent is in by then.
 */
@OnEachDatabase
class SecurityNoticesTest extends StorageTest {
    private static final String NEW_SIGN_IN = "New sign-in to your account";
    private static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    private static final String FIREFOX_NEWER = FIREFOX.replace("140.0", "141.0");
    private static final String CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private TestUser signUp(String hint, ClientInfo device) {
        String email = uniqueEmail(hint);
        String password = strongPassword();
        return new TestUser(email, password, accounts.signIns().signUp(new NewUser(email, FNAME, LNAME, password), device));
    }

    private Authenticated as(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    /**
     * Signs in from a device no test uses an hour later (new sign-ins are told at most once an hour), and waits for
     * its notice: every earlier notice is in after it.
     */
    private void fence(TestUser user, int newSignInsSoFar) {
        t.clock.advance(SignInNoticeBatches.EVERY);
        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("fence", "203.0." + newSignInsSoFar + ".1"));
        Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, newSignInsSoFar + 1);
    }

    private List<Mail> notices(TestUser user, String subject) {
        return Mailbox.noticesTo(t, user.email()).stream().filter(m -> m.subject().equals(subject)).toList();
    }

    @Test
    void aSignInFromTheSignUpDeviceOrItsNewerVersionOnTheSameNetworkIsNotTold() {
        TestUser user = signUp("notice.same", new ClientInfo(FIREFOX, "198.51.100.7"));

        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX, "198.51.100.7"));
        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX_NEWER, "198.51.100.200"));
        fence(user, 0);

        assertThat(notices(user, NEW_SIGN_IN)).hasSize(1); // the fence's own
        assertThat(Mailbox.noticesTo(t, user.email())).hasSize(1);
    }

    @Test
    void aSignInFromAnotherBrowserOrNetworkIsToldOnceWithWhenAndFromWhere() {
        TestUser user = signUp("notice.new", new ClientInfo(FIREFOX, "198.51.100.7"));
        t.clock.advance(Duration.ofMinutes(3));
        java.time.Instant signedInAt = t.clock.instant();

        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(CHROME_MAC, "198.51.100.7"));
        Mail notice = Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 1).get(0);
        t.clock.advance(SignInNoticeBatches.EVERY);
        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX, "192.0.2.7"));
        Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 2);
        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(CHROME_MAC, "198.51.100.8")); // seen now
        fence(user, 2);

        assertThat(notices(user, NEW_SIGN_IN)).hasSize(3);
        assertThat(notice.body()).contains("signed in to").contains("From: Chrome on macOS, address 198.51.100.7")
                .doesNotContain(CHROME_MAC).contains(NoticeText.when(signedInAt)).contains("If it was not you");
    }

    @Test
    void thirtySignInsFromNewDevicesMailOneNoticeAnHourAndNeverTheirUserAgents() {
        TestUser user = signUp("notice.flood", new ClientInfo(FIREFOX, "198.51.100.7"));

        for (int i = 0; i < 30; i++) { // a new network and agent each time; letters, since digits are ignored
            String agent = "Click http://evil.example/" + (char) ('a' + i % 26) + (char) ('a' + i / 26) + " now";
            accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(agent, "203.0." + (100 + i) + ".9"));
        }
        fenceOtherUser();

        assertThat(notices(user, NEW_SIGN_IN)).hasSize(1);
        assertThat(notices(user, NEW_SIGN_IN).get(0).body()).contains("From: an unknown browser, address 203.0.100.9");

        t.clock.advance(SignInNoticeBatches.EVERY);
        accounts.purgeExpired(); // tells the sign-ins held through the hour, in one notice
        Mail held = Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 2).get(1);
        assertThat(held.body()).contains("address 203.0.101.9").contains("address 203.0.110.9")
                .contains("And 19 more sign-ins");
        assertThat(t.mails).noneMatch(m -> m.body().contains("evil.example") || m.body().contains("Click"));
        accounts.purgeExpired();
        fenceOtherUser();
        assertThat(notices(user, NEW_SIGN_IN)).hasSize(2);
    }

    /** A notice to another user, after everything before it: the events and mail of the test before are in. */
    private void fenceOtherUser() {
        TestUser other = signUp("notice.fence", ClientInfo.unknown());
        accounts.profile().changePassword(as(other), other.password(), strongPassword());
        Mailbox.awaitNotices(t, other.email(), "Your password was changed", 1);
    }

    @Test
    void everyFactorChangeIsToldOnce() throws Exception {
        TestUser user = signUp("notice.factors", new ClientInfo(FIREFOX, "198.51.100.7"));
        accounts.mail().confirmEmailVerification(Mailbox.next(t, user.email(),
                () -> accounts.mail().requestEmailVerification(as(user))).token()); // factors need a verified address
        accounts.reauthentication().withPassword(as(user), user.password());              // and a passkey a recent proof
        io.github.accounts.core.testing.SoftAuthenticator authenticator = TestAccounts.authenticator();
        PasskeyOptions options = accounts.passkeys().registrationOptions(as(user));
        PasskeyInfo passkey = accounts.passkeys().add(as(user), options.ceremonyId(),
                authenticator.register(options.optionsJson()), "Click http://evil.example", ClientInfo.unknown());
        byte[] secret = new org.apache.commons.codec.binary.Base32().decode(
                accounts.mfa().startTotp(as(user), user.password()).secret());
        accounts.mfa().confirmTotp(as(user), nextCode(secret));
        accounts.mfa().regenerateRecoveryCodes(as(user), user.password());
        accounts.mfa().disableTotp(as(user), user.password(), nextCode(secret));
        accounts.passkeys().remove(as(user), passkey.id(), ClientInfo.unknown());

        Mailbox.awaitNotices(t, user.email(), "A passkey was removed from your account", 1);
        assertThat(Mailbox.noticesTo(t, user.email())).extracting(Mail::subject).containsExactly(
                "A passkey was added to your account", "Two-step sign-in was turned on",
                "New recovery codes were made for your account", "Two-step sign-in was turned off",
                "A passkey was removed from your account");
        assertThat(Mailbox.noticesTo(t, user.email())).allMatch(m -> m.body().contains("From: Firefox on Linux,"
                + " address 198.51.100.7") || m.body().contains("From: unknown"))
                .noneMatch(m -> m.body().contains("evil.example"));
    }

    private String nextCode(byte[] secret) {
        t.clock.advance(Duration.ofSeconds(io.github.accounts.core.mfa.Totp.STEP_SECONDS));
        return io.github.accounts.core.mfa.Totp.code(secret, io.github.accounts.core.mfa.Totp.step(t.clock.instant()));
    }

    @Test
    void aDeviceUnseenForNinetyDaysIsNewAgain() {
        TestUser user = signUp("notice.old", new ClientInfo(FIREFOX, "198.51.100.7"));
        t.clock.advance(Duration.ofDays(91));

        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX, "198.51.100.7"));

        Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 1);
    }

    @Test
    void aDeviceOutsideTheLastSignInsIsNewAgain() {
        TestUser user = signUp("notice.recent", new ClientInfo(FIREFOX, "198.51.100.7"));
        ClientInfo laptop = new ClientInfo(CHROME_MAC, "192.0.2.7");
        for (int i = 0; i < KnownDevices.RECENT; i++) {
            accounts.signIns().signIn(user.email(), user.password(), laptop);
        }
        Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 1); // the laptop's first
        t.clock.advance(SignInNoticeBatches.EVERY);

        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX, "198.51.100.7"));

        Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 2);
    }

    @Test
    void ipv6AddressesOfOneSlash64AreOneNetwork() {
        TestUser user = signUp("notice.v6", new ClientInfo(FIREFOX, "2001:db8:1:2::10"));

        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX, "2001:db8:1:2:ffff::1"));
        accounts.signIns().signIn(user.email(), user.password(), new ClientInfo(FIREFOX, "2001:db8:1:3::10"));

        Mail notice = Mailbox.awaitNotices(t, user.email(), NEW_SIGN_IN, 1).get(0);
        assertThat(notice.body()).contains("2001:db8:1:3::10");
        fence(user, 1);
        assertThat(notices(user, NEW_SIGN_IN)).hasSize(2);
    }

    @Test
    void aPasswordChangeIsToldOnceFromTheSessionThatMadeIt() {
        TestUser user = signUp("notice.password", new ClientInfo(FIREFOX, "198.51.100.9"));

        String changed = strongPassword();
        accounts.profile().changePassword(as(user), user.password(), changed);

        Mail notice = Mailbox.awaitNotices(t, user.email(), "Your password was changed", 1).get(0);
        assertThat(notice.body()).contains("From: Firefox on Linux, address 198.51.100.9").doesNotContain(FIREFOX)
                .contains("forgot password");
        fence(new TestUser(user.email(), changed, user.signedIn()), 0);
        assertThat(notices(user, "Your password was changed")).hasSize(1);
    }

    @Test
    void aPasswordResetIsToldFromWhereItWasConfirmed() {
        TestUser user = signUp("notice.reset", ClientInfo.unknown());
        String token = Mailbox.next(t, user.email(),
                () -> accounts.mail().requestPasswordReset(user.email(), ClientInfo.unknown())).token();

        accounts.mail().confirmPasswordReset(token, strongPassword(), new ClientInfo(FIREFOX, "198.51.100.31"));

        assertThat(Mailbox.awaitNotices(t, user.email(), "Your password was reset", 1).get(0).body())
                .contains("From: Firefox on Linux, address 198.51.100.31");
    }

    @Test
    void anOperatorDisablingTheAccountIsTold() {
        TestUser user = signUp("notice.disabled", ClientInfo.unknown());
        TestUser operator = signUp("notice.operator", ClientInfo.unknown());

        accounts.operators().disableUser(as(operator), user.id(), "spam");

        assertThat(Mailbox.awaitNotices(t, user.email(), "Your account was disabled", 1).get(0).body())
                .contains("an operator").contains("contact");
    }

    /** Their events come from the TOTP and passkey features; here the notices are handed such events directly. */
    @Test
    void aSecondFactorTurnedOffAndAPasskeyAddedAreTold() throws InterruptedException {
        TestUser user = signUp("notice.mfa", ClientInfo.unknown());
        Transactions tx = new Transactions(t.emf);
        List<Mail> sent = new CopyOnWriteArrayList<>();
        try (MailOutbox outbox = new MailOutbox((to, subject, body) -> sent.add(new Mail(to, subject, body)), tx,
                new EventLog(tx, t.clock, Duration.ofDays(1), List.of(), 1),
                new MailBudget(TestAccounts.throttleKeys(), t.clock))) {
            SecurityNotices notices = new SecurityNotices(Notifications.all(), tx, t.clock, outbox);

            notices.onEvent(new AccountEvent(1, user.id(), "mfa.disabled", t.clock.instant(), null, "192.0.2.5",
                    "UA/1", Map.of()));
            notices.onEvent(new AccountEvent(2, user.id(), "passkey.added", t.clock.instant(), null, "192.0.2.6",
                    "UA/2", Map.of()));
            for (int i = 0; i < 500 && sent.size() < 2; i++) {
                Thread.sleep(10);
            }
        }

        assertThat(sent).extracting(Mail::to).containsOnly(user.email());
        assertThat(sent).extracting(Mail::subject).containsExactly("Two-step sign-in was turned off",
                "A passkey was added to your account");
        assertThat(sent.get(1).body()).contains("From: an unknown browser, address 192.0.2.6");
    }

    @Test
    void noticesTurnedOffAreNotSent() {
        try (Accounts quiet = Accounts.builder(t.emf).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config()).clock(t.clock)
                .mailer((to, subject, body) -> t.mails.add(new Mail(to, subject, body)))
                .notifications(Notifications.all().without(Notifications.Type.PASSWORD_CHANGED))
                .housekeeping(false).build()) {
            String email = uniqueEmail("notice.off");
            String password = strongPassword();
            SignedIn signedIn = quiet.signIns().signUp(new NewUser(email, FNAME, LNAME, password), ClientInfo.unknown());
            Authenticated me = quiet.sessions().authenticate(signedIn.session().sessionToken());

            quiet.profile().changePassword(me, password, strongPassword());
            SignedIn operator = quiet.signIns().signUp(new NewUser(uniqueEmail("notice.off.operator"), FNAME, LNAME, password),
                    ClientInfo.unknown());
            quiet.operators().disableUser(quiet.sessions().authenticate(operator.session().sessionToken()), signedIn.user().id(), null);

            Mailbox.awaitNotices(t, email, "Your account was disabled", 1);
            assertThat(Mailbox.noticesTo(t, email)).extracting(Mail::subject)
                    .containsExactly("Your account was disabled");
        }
    }
}
