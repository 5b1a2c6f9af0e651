package io.github.accounts.core.session;

import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** accounts.sessions().active, what a long-lived socket re-checks its session with; on H2 and PostgreSQL. */
@OnEachDatabase
class ActiveSessionsTest extends StorageTest {
    @Test
    void activeSessionsKeepsLiveOnesAndDropsRevokedExpiredDisabledAndUnknownIds() {
        TestUser alice = TestUsers.signUp(accounts, "active-alice");
        long aliceSecond = accounts.signIns().signIn(alice.email(), alice.password(), ClientInfo.unknown()).session().id();
        TestUser bob = TestUsers.signUp(accounts, "active-bob");
        TestUser carol = TestUsers.signUp(accounts, "active-carol");
        TestUser operator = TestUsers.signUp(accounts, "active-operator");

        accounts.sessions().revoke(accounts.sessions().authenticate(alice.session().sessionToken()), aliceSecond);
        accounts.operators().disableUser(accounts.sessions().authenticate(operator.session().sessionToken()), carol.id(), null);

        assertThat(accounts.sessions().active(List.of(alice.session().id(), aliceSecond, bob.session().id(),
                carol.session().id(), Long.MAX_VALUE))).containsExactlyInAnyOrder(alice.session().id(),
                bob.session().id());
    }

    @Test
    void activeSessionsForgetsExpiredSessionsThoughTheirRowsRemain() {
        TestUser dave = TestUsers.signUp(accounts, "active-dave");
        t.clock.advance(accounts.config().sessions().sessionToken().plus(Duration.ofSeconds(1)));
        TestUser erin = TestUsers.signUp(accounts, "active-erin");

        assertThat(accounts.sessions().active(List.of(dave.session().id(), erin.session().id())))
                .containsExactly(erin.session().id());
    }

    @Test
    void activeSessionsTakesMoreIdsThanOneQueryHolds() {
        TestUser frank = TestUsers.signUp(accounts, "active-frank");
        List<Long> ids = LongStream.concat(LongStream.rangeClosed(-2_500, -1), LongStream.of(frank.session().id()))
                .boxed().toList();

        assertThat(accounts.sessions().active(ids)).containsExactly(frank.session().id());
    }
}
