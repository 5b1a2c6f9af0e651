package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.web.RawHttp.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import spark.Service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What Jetty itself answers beneath the routes, once a host applies {@link JettySettings}: over a raw socket. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettySettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> HOST_HEADERS = Map.of("X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'none'");

    private TestAccounts fixture;
    private TestServer server;

    @BeforeAll
    void start() {
        fixture = new TestAccounts(TestDatabase.H2);
        AccountsRoutes routes = AccountsRoutes.builder(fixture.accounts).build();
        server = new TestServer(http -> {
            JettySettings.defaults().requestIdleTimeout(Duration.ofSeconds(1))
                    .requestHeadTimeout(Duration.ofSeconds(1)).problemJsonUnder("/accounts")
                    .securityHeaders(HOST_HEADERS).applyTo(http);
            http.before((req, res) -> HOST_HEADERS.forEach(res::header)); // as a host does for the answers Spark makes
            http.get("/accounts/refused-by-jetty", (req, res) -> {
                res.raw().sendError(503);
                return "";
            });
            routes.mount(http, "/accounts");
            http.get("/host/page", (req, res) -> "host page");
            http.get("/host/refused", (req, res) -> {
                res.raw().sendError(503);
                return "";
            });
        });
    }

    @AfterAll
    void stop() {
        server.close();
        fixture.close();
    }

    private Answer send(String request) {
        return RawHttp.exchange(server.http.port(), request);
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + String.join("", headers) + "Connection: close\r\n\r\n";
    }

    private static void assertProblem(Answer a, int status, String code) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.header("Content-Security-Policy")).isEqualTo("default-src 'none'");
        assertThat(a.header("Server")).isNull();
        JsonNode p = json(a.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("code").asText()).isEqualTo(code);
        assertThat(p.get("type").asText()).isEqualTo("urn:accounts:problem:" + code);
        assertThat(a.body()).doesNotContain("Jetty").doesNotContain("<");
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + body, e);
        }
    }

    @Test
    void aBadEscapeIsAProblemWithTheHostsSecurityHeaders() {
        assertProblem(send(get("/accounts/%zz")), 400, "bad_request");
    }

    @Test
    void aLongUriIsA414Problem() {
        assertProblem(send(get("/accounts/" + "a".repeat(10_000))), 414, "uri_too_long");
    }

    @Test
    void hugeHeadersAreA431Problem() {
        assertProblem(send(get("/accounts/users/me", "X-Filler: " + "a".repeat(10_000) + "\r\n")), 431,
                "headers_too_large");
    }

    @Test
    void contentLengthWithTransferEncodingIsA400Problem() {
        Answer a = send("POST /accounts/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");
        assertProblem(a, 400, "bad_request");
    }

    @Test
    void noAnswerNamesTheServer() {
        Answer ok = send(get("/host/page"));
        assertThat(ok.body()).isEqualTo("host page");
        assertThat(ok.header("Server")).isNull();
        assertThat(send(get("/accounts/users/me")).header("Server")).isNull();
    }

    @Test
    void otherMethodsUnderThePrefixAre404ProblemsAndTheHostKeepsTheRest() {
        for (String method : new String[] {"PROPFIND", "BREW", "CONNECT"}) {
            Answer a = send(method + " /accounts/users/me HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(a.status()).as(method).isEqualTo(404);
            assertThat(a.header("Content-Type")).as(method).isEqualTo("application/problem+json");
            assertThat(json(a.body()).get("code").asText()).isEqualTo("not_found");
        }
        Answer overridden = send("GET /accounts/users/me HTTP/1.1\r\nHost: localhost\r\nX-HTTP-Method-Override: TRACE\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(overridden.header("Content-Type")).isEqualTo("application/problem+json");
        Answer host = send("PROPFIND /host/page HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(host.status()).isEqualTo(404);
        assertThat(host.header("Content-Type")).doesNotContain("problem");
    }

    @Test
    void traceAndTrackEchoNothingAnywhereEvenBesideTheRealTimeSocket() {
        try (TestAccounts accounts = new TestAccounts(TestDatabase.H2);
             Realtime realtime = Realtime.builder().build();
             TestServer withSocket = new TestServer(http -> {
                 JettySettings.defaults().problemJsonUnder("/accounts").applyTo(http);
                 AccountsRoutes.builder(accounts.accounts).realtime(realtime).build().mount(http, "/accounts");
                 http.get("/", (req, res) -> "home");
                 http.get("/host/page", (req, res) -> "host page");
             })) {
            for (TestServer target : new TestServer[] {server, withSocket}) {
                for (String method : new String[] {"TRACE", "TRACK", "trace"}) {
                    for (String path : new String[] {"/", "/accounts", "/accounts/users/me", "/accounts/events/socket",
                            "/host/page", "/nowhere", "*"}) {
                        Answer a = RawHttp.exchange(target.http.port(), method + " " + path + " HTTP/1.1\r\n"
                                + "Host: localhost\r\nCookie: __Host-accounts_session=SECRET-COOKIE\r\n"
                                + "Authorization: Bearer SECRET-TOKEN\r\nConnection: close\r\n\r\n");
                        String what = method + " " + path + " -> " + a.status() + " " + a.body();
                        assertThat(a.status()).as(what).isNotEqualTo(200).isBetween(400, 499);
                        assertThat(a.body()).as(what).doesNotContain("SECRET");
                        assertThat(a.headers().toString()).as(what).doesNotContain("SECRET");
                        if (path.startsWith("/accounts") && a.status() == 405) {
                            assertThat(json(a.body()).get("code").asText()).isEqualTo("method_not_allowed");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRequestHeadDrippedByteByByteIsCutAtItsDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.http.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /host/page HTTP/1.1\r\nHost: localhost\r\nX-Drip: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    return socket.getInputStream().read() < 0; // no answer: the end of the connection
                } catch (IOException reset) {
                    return true;
                }
            });
            // Each byte comes well within the connection's idle timeout, so only a deadline on the head can end this.
            for (int i = 0; i < 100 && !ended.isDone(); i++) {
                Thread.sleep(200);
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
            }
            assertThat(ended.get(10, TimeUnit.SECONDS)).as("the server closed the connection").isTrue();
        }
    }

    @Test
    void headIsAnsweredLikeGetWithoutABody() {
        Answer get = send(get("/accounts/users/me"));
        Answer head = send("HEAD /accounts/users/me HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(head.status()).isEqualTo(401);
        assertThat(head.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(head.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
        assertThat(head.body()).isEmpty();
        Answer openApi = send("HEAD /accounts/openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(openApi.status()).isEqualTo(200);
        assertThat(openApi.header("Content-Type")).startsWith("application/json");
        assertThat(openApi.body()).isEmpty();
        Answer unknown = send("HEAD /accounts/nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void aDripFedBodyIsCutOffWith408() throws Exception {
        try (RawHttp http = new RawHttp(server.http.port())) {
            http.write("POST /accounts/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{");
            Thread drip = new Thread(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        Thread.sleep(500);
                        http.write(" ");
                    }
                } catch (InterruptedException | UncheckedIOException e) {
                    // the server has given up on us: that is the point
                }
            });
            drip.start();
            Answer a = http.read(false);
            drip.interrupt();
            assertProblem(a, 408, "request_timeout");
        }
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnsweredOnceTheIdleTimeoutPasses() {
        Answer a = send("POST /accounts/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"a\":1}");
        assertProblem(a, 408, "request_timeout");
        Answer large = send("POST /accounts/sessions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{\"a\":1}");
        assertProblem(large, 413, "payload_too_large");
    }

    @Test
    void jettysOwnRefusalsAreProblemsUnderThePrefixAndPlainPagesElsewhere() {
        Answer host = send(get("/host/refused"));
        assertThat(host.status()).isEqualTo(503);
        assertThat(host.header("Content-Type")).startsWith("text/html");
        assertThat(host.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(host.body()).doesNotContain("Jetty").doesNotContain("at org.");
        assertProblem(send(get("/accounts/refused-by-jetty")), 503, "unavailable");
    }

    @Test
    void settingsAreCheckedWhenMade() {
        assertThatThrownBy(() -> JettySettings.defaults().requestIdleTimeout(Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 s and 30 s");
        assertThatThrownBy(() -> JettySettings.defaults().minRequestDataRate(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JettySettings.defaults().problemJsonUnder("accounts/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> JettySettings.defaults().requestHeadTimeout(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 s and 30 s");
        assertThat(JettySettings.defaults().requestHeadTimeout(Duration.ofSeconds(5)))
                .isNotEqualTo(JettySettings.defaults());
        assertThat(JettySettings.defaults().problemJsonUnder("/a")).isEqualTo(JettySettings.defaults().problemJsonUnder("/a"));
    }

    @Test
    void stoppingFinishesTheRequestsInFlightAndRefusesNewOnes() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        CountDownLatch entered = new CountDownLatch(1);
        Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
        JettySettings.defaults().applyTo(http);
        http.get("/slow", (req, res) -> {
            entered.countDown();
            Thread.sleep(1_500);
            return "finished";
        });
        http.init();
        http.awaitInitialization();
        String base = "http://127.0.0.1:" + http.port();

        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            http.stop();
            http.awaitStop();
        });

        HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("finished");
        stopped.get(15, TimeUnit.SECONDS);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/slow"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
