package io.github.accounts.core.password;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bouncy Castle's Argon2id in PHC strings: the same digests as password4j's, both ways, and nothing else read. */
class Argon2idTest {
    private static final Argon2id.Cost COST = new Argon2id.Cost(1024, 2, 1);
    private final Argon2id argon2id = new Argon2id(COST);

    @Test
    void aDigestWrittenEarlierByPassword4jStillVerifies() {
        // Written by password4j 1.8.4 at the shipped cost before the engine changed.
        String digest = "$argon2id$v=19$m=19456,t=2,p=1$Xf0lzgc2r6u9oDDIi3yqSQ$"
                + "bWmTiPW5dec/dsEFa1XlgZgttPohVWKEu7cyfl4+qqQ";
        Argon2id.Parsed parsed = Argon2id.parse(digest);
        assertThat(argon2id.matches("correct horse battery staple", parsed)).isTrue();
        assertThat(argon2id.matches("correct horse battery stapler", parsed)).isFalse();
    }

    @Test
    void password4jAndThisReadEachOthersDigests() {
        Argon2Function password4j = Argon2Function.getInstance(1024, 2, 1, 32, Argon2.ID);
        String theirs = Password.hash("pässwörd ✓").addRandomSalt(16).with(password4j).getResult();
        String ours = argon2id.hash("pässwörd ✓");

        assertThat(argon2id.matches("pässwörd ✓", Argon2id.parse(theirs))).isTrue();
        assertThat(Password.check("pässwörd ✓", ours).with(password4j)).isTrue();
        assertThat(Password.check("passwörd ✓", ours).with(password4j)).isFalse();
    }

    @Test
    void hashesThatNeverOverlapShareOneSetOfMemoryBlocksWhateverThreadRunsThem() throws InterruptedException {
        // Issue 33: two hashing threads each kept a set (19 MiB at the shipped cost) after the warm-up; idle, one
        // set is enough, and a second is made only while two computations overlap.
        Argon2id fresh = new Argon2id(COST);
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> fresh.hash("correct horse"));
            t.start();
            t.join();
        }
        fresh.matches("correct horse", Argon2id.parse(fresh.hash("correct horse")));

        assertThat(fresh.blockSetsMade()).isEqualTo(1);
    }

    @Test
    void digestsAreSaltedAndSayTheirCost() {
        String digest = argon2id.hash("correct horse");
        assertThat(digest).matches("\\$argon2id\\$v=19\\$m=1024,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(argon2id.hash("correct horse")).isNotEqualTo(digest);
        assertThat(argon2id.isCurrent(Argon2id.parse(digest))).isTrue();
        assertThat(new Argon2id(new Argon2id.Cost(2048, 2, 1)).isCurrent(Argon2id.parse(digest))).isFalse();
    }

    @Test
    void onlyWellFormedArgon2idVersion19DigestsWithinBoundsAreRead() {
        String salt = "Xf0lzgc2r6u9oDDIi3yqSQ";
        String hash = "bWmTiPW5dec/dsEFa1XlgZgttPohVWKEu7cyfl4+qqQ";
        assertThat(Argon2id.parse("$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + hash)).isNotNull();
        for (String digest : List.of(
                "", "$argon2id$", "$argon2i$v=19$m=1024,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=16$m=1024,t=2,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=1024,t=2$" + salt + "$" + hash,
                "$argon2id$v=19$m=1024,t=0,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=4,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=x,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=1024,t=2,p=1$" + salt,
                "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$" + hash + "$",
                "$argon2id$v=19$m=1024,t=2,p=1$AAAA$" + hash,
                "$argon2id$v=19$m=1024,t=2,p=1$" + salt + "$not*base64")) {
            assertThat(Argon2id.parse(digest)).as(digest).isNull();
        }
    }
}
