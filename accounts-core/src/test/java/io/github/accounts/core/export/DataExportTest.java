package io.github.accounts.core.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.passkey.PasskeyOptions;
import io.github.accounts.core.mfa.TotpEnrolment;
import io.github.accounts.core.event.AccountEvent;
import io.github.accounts.core.mfa.Totp;
import io.github.accounts.core.testing.DatabaseRows;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.StatementLog;
import io.github.accounts.core.testing.StorageTest;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import jakarta.persistence.EntityManagerFactory;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user's export holds what the contract lists (user, sessions, every event, passkeys, identities, mfa) and none
 * of the user's digests, tokens, codes or secrets; a user with 100,000 events is read a page at a time.
 */
@OnEachDatabase
class DataExportTest extends StorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Authenticated me(IssuedSession session) {
        return accounts.sessions().authenticate(session.sessionToken());
    }

    private String export(Authenticated who) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        accounts.export().write(who, out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theExportHoldsEverythingTheContractListsAndNoSecret() throws Exception {
        List<String> secrets = new ArrayList<>();
        TestUser user = TestUsers.signUpVerified(t, "exported");
        secrets.add(user.password());
        IssuedSession second = accounts.signIns().signIn(user.email(), user.password(), new ClientInfo("Phone/1", "192.0.2.9"))
                .session();
        for (IssuedSession s : List.of(user.session(), second)) {
            secrets.add(s.sessionToken());
            secrets.add(s.updateToken());
        }
        Authenticated who = me(second);
        TotpEnrolment totp = accounts.mfa().startTotp(who, user.password());
        secrets.add(totp.secret());
        byte[] seed = new Base32().decode(totp.secret());
        t.clock.advance(Duration.ofSeconds(Totp.STEP_SECONDS));
        String code = Totp.code(seed, Totp.step(t.clock.instant()));
        secrets.add(code);
        secrets.addAll(accounts.mfa().confirmTotp(who, code).recoveryCodes());
        accounts.reauthentication().withPassword(who, user.password());
        PasskeyOptions options = accounts.passkeys().registrationOptions(who);
        accounts.passkeys().add(who, options.ceremonyId(), TestAccounts.authenticator().register(options.optionsJson()),
                "Laptop", ClientInfo.unknown());
        for (String column : List.of("password_digest from users", "token_digest from sessions",
                "update_digest from sessions", "code_digest from mfa_recovery_codes", "secret_ciphertext from mfa_totp",
                "public_key_cose from passkey_credentials", "credential_id from passkey_credentials")) {
            DatabaseRows.query(t.dataSource, "select " + column + " where user_id = ?".replace("where user_id",
                            column.endsWith("users") ? "where id" : "where user_id"), user.id())
                    .forEach(row -> row.values().stream().filter(v -> v != null).forEach(secrets::add));
        }

        String text = export(who);

        JsonNode doc = JSON.readTree(text);
        assertThat(doc.fieldNames()).toIterable()
                .containsExactly("user", "sessions", "passkeys", "identities", "mfa", "events");
        assertThat(doc.get("user").get("email").asText()).isEqualTo(user.email());
        assertThat(doc.get("user").get("email_verified").asBoolean()).isTrue();
        assertThat(doc.get("user").has("created_at")).isTrue();
        assertThat(doc.get("user").has("updated_at")).isTrue();
        assertThat(doc.get("sessions")).hasSize(2);
        assertThat(doc.get("sessions").findValuesAsText("user_agent")).contains("Phone/1");
        assertThat(doc.get("passkeys")).hasSize(1);
        assertThat(doc.get("passkeys").get(0).get("name").asText()).isEqualTo("Laptop");
        assertThat(doc.get("identities")).isEmpty();
        assertThat(doc.get("mfa").get("totp_enabled").asBoolean()).isTrue();
        assertThat(doc.get("mfa").get("recovery_codes_left").asInt()).isEqualTo(10);
        List<String> newestFirst = new ArrayList<>(accounts.events().page(who, null, 100).events().stream()
                .map(AccountEvent::type).toList());
        java.util.Collections.reverse(newestFirst);
        List<String> exported = new ArrayList<>();
        doc.get("events").forEach(e -> exported.add(e.get("type").asText()));
        assertThat(exported).containsExactlyElementsOf(newestFirst);
        assertThat(secrets).hasSizeGreaterThan(20).allSatisfy(secret -> assertThat(text).doesNotContain(secret));
    }

    @Test
    void aHundredThousandEventsAreReadAPageAtATimeAndWrittenAsTheyCome() throws Exception {
        TestUser user = TestUsers.signUp(accounts, "many.events");
        int events = 100_000;
        DatabaseRows.insertEvents(t.dataSource, user.id(), events);
        StatementLog log = new StatementLog(t.dataSource);
        EntityManagerFactory emf = io.github.accounts.core.Accounts.entityManagerFactory(log.dataSource(), Map.of());
        try {
            DataExport export = DataExport.over(emf);
            PipedInputStream in = new PipedInputStream(64 * 1024);
            PipedOutputStream out = new PipedOutputStream(in);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (out) {
                    export.write(me(user.session()), out);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int counted = 0;
            int pagesReadBeforeTheFirstEventArrived = -1;
            try (JsonParser parser = JSON.getFactory().createParser(in)) {
                boolean inEvents = false;
                while (parser.nextToken() != null) {
                    if (parser.currentToken() == JsonToken.FIELD_NAME && parser.getParsingContext().getParent().inRoot()) {
                        inEvents = "events".equals(parser.currentName());
                    } else if (inEvents && parser.currentToken() == JsonToken.START_OBJECT
                            && parser.getParsingContext().getParent().inArray()) {
                        if (counted++ == 0) {
                            pagesReadBeforeTheFirstEventArrived = eventPages(log.take());
                        }
                    }
                }
            }
            writing.join();
            assertThat(counted).isEqualTo(events + 1); // and the sign-up's own
            assertThat(pagesReadBeforeTheFirstEventArrived).as("the first event came before the rest were read")
                    .isLessThan(5);
            assertThat(eventPages(log.take())).isGreaterThanOrEqualTo(events / ExportFlows.PAGE - 5);
        } finally {
            emf.close();
        }
    }

    private static int eventPages(List<String> statements) {
        return (int) statements.stream().filter(sql -> sql.contains("from account_events")).count();
    }
}
