package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.RealtimeTest.SignedUp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.accounts.web.RealtimeTest.signUp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A held long-poll outlives {@link JettySettings#requestIdleTimeout} (the short I/O timeout meant for requests being
 * handled): engine.io answers it at its next ping, seconds later, and the client stays connected meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoBehindHardenedJettyTest {
    /** engine.io pings every 3 s: three times the server's 1 s request idle timeout. */
    private static final Realtime.Limits LIMITS = new Realtime.Limits(1_000, 3, 8, Duration.ofSeconds(5),
            Duration.ofSeconds(3), Duration.ofSeconds(13), Duration.ofMinutes(1));

    private TestAccounts fixture;
    private Realtime realtime;
    private TestServer server;
    private SocketIoNode client;

    @BeforeAll
    void start() {
        SocketIoNode.install();
        fixture = new TestAccounts(TestDatabase.H2);
        realtime = Realtime.builder().limits(LIMITS).build();
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).realtime(realtime).build();
        server = new TestServer(http -> {
            JettySettings.defaults().requestIdleTimeout(Duration.ofSeconds(1)).applyTo(http);
            routes.mount(http, "/accounts");
        });
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
        realtime.close();
        fixture.close();
    }

    @Test
    void aHeldPollOutlivesTheRequestIdleTimeout() throws InterruptedException {
        SignedUp nina = signUp(server, "sio-held");
        client = SocketIoNode.connect(Map.of("url", server.base, "path", "/accounts/socket.io",
                "auth", Map.of("session_token", nina.token()), "transports", List.of("polling")));
        client.next("connect");
        client.until("ready", new ArrayList<>());

        Thread.sleep(LIMITS.pingEvery().multipliedBy(2).toMillis()); // polls held for seconds, twice over
        realtime.send(nina.userId(), "still-here", Map.of());

        List<JsonNode> before = new ArrayList<>();
        JsonNode message = client.until("message", before);
        assertThat(message.at("/data/topic").asText()).isEqualTo("still-here");
        assertThat(before).noneMatch(line -> line.path("on").asText().equals("disconnect"));
    }
}
