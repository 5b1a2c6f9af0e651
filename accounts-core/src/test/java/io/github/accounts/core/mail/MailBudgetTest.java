package io.github.accounts.core.mail;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.Concurrently;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.Mailbox;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts.Mail;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.github.accounts.core.testing.TestUsers.strongPassword;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Mail to one address is bounded, whoever asks for it: at most 5 of a kind and 10 in all per hour. What a request
 * answers does not change when its mail is not sent, so nobody learns which addresses are registered.
 */
@OnEachDatabase
class MailBudgetTest extends StorageTest {
    private static final String REFUSED = "Someone tried to use your email address";
    private static final String RESET = "Reset your password";

    private Authenticated as(TestUser user) {
        return accounts.sessions().authenticate(user.session().sessionToken());
    }

    /** Waits until mail and notices queued so far are out: a notice to another user, sent after them, arrived. */
    private void drain() {
        TestUser other = TestUsers.signUp(accounts, "budget.fence");
        String changed = strongPassword();
        accounts.profile().changePassword(as(other), other.password(), changed);
        Mailbox.awaitNotices(t, other.email(), "Your password was changed", 1);
    }

    private List<Mail> to(String email) {
        return t.mails.stream().filter(m -> m.to().equals(email)).toList();
    }

    @Test
    void sixtyEmailChangeAndResetRequestsToOneAddressDeliverFiveOfAKindAndTenInAllPerHour() {
        TestUser victim = TestUsers.signUp(accounts, "budget.victim");
        List<TestUser> attackers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attackers.add(TestUsers.signUp(accounts, "budget.attacker"));
        }

        for (TestUser attacker : attackers) {
            for (int i = 0; i < 3; i++) { // each account's own limit is 3 an hour; 20 accounts make 60
                accounts.emailChange().request(as(attacker), victim.email(), attacker.password(), ClientInfo.unknown());
            }
        }
        for (int i = 0; i < 60; i++) {
            ClientInfo client = new ClientInfo("attacker", "192.0." + (i / 200) + "." + (i % 200 + 1));
            assertThatCode(() -> accounts.mail().requestPasswordReset(victim.email(), client)).doesNotThrowAnyException();
        }
        accounts.profile().changePassword(as(victim), victim.password(), strongPassword()); // its notice finds no room left
        drain();

        assertThat(to(victim.email())).filteredOn(m -> m.subject().equals(REFUSED)).hasSize(MailBudget.PER_KIND);
        assertThat(to(victim.email())).filteredOn(m -> m.subject().equals(RESET)).hasSizeLessThanOrEqualTo(
                MailBudget.PER_KIND);
        assertThat(to(victim.email())).hasSize(MailBudget.IN_ALL);

        t.clock.advance(MailBudget.WINDOW.plus(Duration.ofSeconds(1)));
        TestUser late = TestUsers.signUp(accounts, "budget.later");
        Mail again = Mailbox.next(t, victim.email(), () -> accounts.emailChange().request(as(late), victim.email(),
                late.password(), ClientInfo.unknown()));
        assertThat(again.subject()).isEqualTo(REFUSED);
    }

    @Test
    void requestsRacingForTheLastMailsGetNoMoreThanTheBudget() {
        TestUser victim = TestUsers.signUp(accounts, "budget.race");
        List<TestUser> attackers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            attackers.add(TestUsers.signUp(accounts, "budget.race.attacker"));
        }

        List<Concurrently.Outcome<Boolean>> outcomes =
                Concurrently.run(12, i -> {
                    TestUser attacker = attackers.get(i);
                    accounts.emailChange().request(as(attacker), victim.email(), attacker.password(),
                            ClientInfo.unknown());
                    return true;
                });
        drain();

        assertThat(outcomes).allMatch(Concurrently.Outcome::succeeded);
        assertThat(to(victim.email())).hasSize(MailBudget.PER_KIND);
    }

    @Test
    void twoInstancesShareOneBudget() {
        TestUser victim = TestUsers.signUp(accounts, "budget.instances");
        try (Accounts other = Accounts.builder(t.emf).config(config()).clock(t.clock)
                .mailer((to, subject, body) -> t.mails.add(new Mail(to, subject, body)))
                .throttleSecret(TestAccounts.THROTTLE_SECRET).housekeeping(false)
                .build()) {
            for (Accounts instance : List.of(accounts, other, accounts, other)) {
                TestUser attacker = TestUsers.signUp(instance, "budget.instances.attacker");
                Authenticated who = instance.sessions().authenticate(attacker.session().sessionToken());
                for (int i = 0; i < 3; i++) {
                    instance.emailChange().request(who, victim.email(), attacker.password(), ClientInfo.unknown());
                }
            }
            drain();
            TestUser fence = TestUsers.signUp(other, "budget.instances.fence"); // the other instance's queue too
            Mailbox.next(t, fence.email(), () -> other.mail().requestEmailVerification(
                    other.sessions().authenticate(fence.session().sessionToken())));
        }

        assertThat(to(victim.email())).hasSize(MailBudget.PER_KIND);
    }

    @Test
    void theBudgetHoldsAcrossAddressSpellingsAndKeepsNoAddressInClear() {
        TestUser victim = TestUsers.signUp(accounts, "budget.spelling");
        TestUser attacker = TestUsers.signUp(accounts, "budget.spelling.attacker");
        TestUser second = TestUsers.signUp(accounts, "budget.spelling.attacker");
        for (int i = 0; i < 3; i++) {
            accounts.emailChange().request(as(attacker), victim.email(), attacker.password(), ClientInfo.unknown());
            accounts.emailChange().request(as(second), " " + victim.email().toUpperCase(Locale.ROOT),
                    second.password(), ClientInfo.unknown());
        }
        drain();

        assertThat(to(victim.email())).hasSize(MailBudget.PER_KIND);
        assertThat(DatabaseRows.query(t.dataSource, "select * from mail_budget")
                .toString()).doesNotContain(victim.email()).doesNotContain("budget.spelling");
    }
}
