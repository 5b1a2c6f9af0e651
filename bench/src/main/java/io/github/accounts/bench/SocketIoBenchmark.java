package io.github.accounts.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.Realtime;
import spark.Service;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Socket.IO channel next to the plain WebSocket on one instance over an embedded PostgreSQL 17 (issue 31):
 * event-to-client latency p50/p99 for the WebSocket, Socket.IO over its WebSocket transport and Socket.IO over
 * long-polling, and the heap per idle Socket.IO client (the clients in a process of their own,
 * {@link SocketIoIdleClients}). The clients speak engine.io v4 / Socket.IO v5 frames by hand (the official client is
 * the tests'). Prints a markdown table; asserts nothing. Run with
 * {@code java -cp bench/target/benchmarks.jar io.github.accounts.bench.SocketIoBenchmark [samples] [idle clients]}.
 */
public final class SocketIoBenchmark {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final String PATH = "/accounts/socket.io/?EIO=4&transport=";
    private static final String RECORD_SEPARATOR = "\u001e";

    private final Accounts accounts;
    private final Realtime realtime;
    private final Service http;
    private final String base;
    private final HttpClient client = HttpClient.newHttpClient();

    private SocketIoBenchmark(HikariDataSource ds) {
        realtime = Realtime.builder().maxSockets(20_000).build();
        AccountsConfig config = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)
                .withThrottling(AccountsConfig.originalDesign().throttling()
                        .withSignUps(new ThrottleLimits.Rate(100_000, Duration.ofMinutes(1))));
        accounts = Accounts.builder(ds).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config).housekeeping(false).eventListener(realtime.listener()).build();
        AccountsRoutes routes = AccountsRoutes.builder(accounts).realtime(realtime).csrfKey(new byte[32]).build();
        http = Service.ignite().ipAddress("127.0.0.1").port(0).threadPool(200);
        routes.mount(http, "/accounts");
        http.init();
        http.awaitInitialization();
        base = "127.0.0.1:" + http.port();
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int idle = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        String jdbcUrl = TestDatabase.POSTGRES.freshJdbcUrl();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(16);
        List<String> rows = new ArrayList<>();
        try (HikariDataSource ds = new HikariDataSource(pool)) {
            AccountsSchema.migrate(ds);
            SocketIoBenchmark bench = new SocketIoBenchmark(ds);
            try {
                rows.add(bench.latency("plain WebSocket", samples, bench::plainWebSocket));
                rows.add(bench.latency("Socket.IO, WebSocket transport", samples, bench::socketIoWebSocket));
                rows.add(bench.latency("Socket.IO, long-polling", samples, bench::socketIoPolling));
                rows.add(bench.idleClients(idle));
            } finally {
                bench.close();
            }
        }
        BenchReport.printTable("real-time, one instance (PostgreSQL 17 embedded, " + samples + " samples)", rows);
    }

    private interface Connector {
        /** Connects a client of {@code token} that adds the time each event arrives to {@code arrivals}. */
        AutoCloseable connect(String token, BlockingQueue<Long> arrivals) throws Exception;
    }

    /** From the call that changes the account (its transaction included) to the client's receipt of the event. */
    private String latency(String label, int samples, Connector connector) throws Exception {
        SignedIn user = accounts.signIns().signUp(new NewUser("latency." + System.nanoTime() + "@example.com", "Bench", "Mark",
                PASSWORD), ClientInfo.unknown());
        Authenticated who = accounts.sessions().authenticate(user.session().sessionToken());
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        try (AutoCloseable ignored = connector.connect(user.session().sessionToken(), arrivals)) {
            Thread.sleep(500);
            arrivals.clear();
            long[] nanos = new long[samples];
            for (int i = -samples / 5; i < samples; i++) { // the first fifth warms up
                long t0 = System.nanoTime();
                accounts.profile().update(who, "Bench" + (i & 1), null);
                Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
                if (arrived == null) {
                    throw new IllegalStateException("An event never reached the client (" + label + ")");
                }
                if (i >= 0) {
                    nanos[i] = arrived - t0;
                }
            }
            Arrays.sort(nanos);
            return "| event to client, " + label + " | " + BenchReport.percentiles(nanos) + " |";
        }
    }

    private AutoCloseable plainWebSocket(String token, BlockingQueue<Long> arrivals) {
        WebSocket ws = webSocket("ws://" + base + "/accounts/events/socket", text -> {
            if (text.startsWith("{\"type\":\"event\"")) {
                arrivals.add(System.nanoTime());
            }
        }, null);
        ws.sendText("{\"type\":\"authenticate\",\"session_token\":\"" + token + "\"}", true).join();
        return ws::abort;
    }

    private AutoCloseable socketIoWebSocket(String token, BlockingQueue<Long> arrivals) {
        WebSocket[] self = new WebSocket[1];
        self[0] = webSocket("ws://" + base + PATH + "websocket", text -> {
            if (text.startsWith("0{")) {
                self[0].sendText("40{\"session_token\":\"" + token + "\"}", true);
            } else if (text.equals("2")) {
                self[0].sendText("3", true);
            } else if (text.startsWith("42[\"event\"")) {
                arrivals.add(System.nanoTime());
            }
        }, self);
        return self[0]::abort;
    }

    private WebSocket webSocket(String url, Consumer<String> onText, WebSocket[] self) {
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    if (self != null) {
                        self[0] = ws;
                    }
                    onText.accept(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        return client.newWebSocketBuilder().buildAsync(URI.create(url), listener).join();
    }

    /** A long-polling client: one poll held at a time, pings answered, on a thread of its own. */
    private AutoCloseable socketIoPolling(String token, BlockingQueue<Long> arrivals) throws Exception {
        String open = get("http://" + base + PATH + "polling");
        String sid = open.replaceAll("^0\\{\\s*\"sid\"\\s*:\\s*\"([^\"]+)\".*$", "$1");
        String url = "http://" + base + PATH + "polling&sid=" + sid;
        post(url, "40{\"session_token\":\"" + token + "\"}");
        Thread poller = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (String packet : get(url).split(RECORD_SEPARATOR)) {
                        if (packet.startsWith("42[\"event\"")) {
                            arrivals.add(System.nanoTime());
                        } else if (packet.equals("2")) {
                            post(url, "3");
                        } else if (packet.equals("1")) {
                            return;
                        }
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }, "bench-poller");
        poller.setDaemon(true);
        poller.start();
        return poller::interrupt;
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void post(String url, String body) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Heap (after GC) of this process before and after {@code count} idle Socket.IO clients (WebSocket). */
    private String idleClients(int count) throws Exception {
        Path tokens = Files.createTempFile("socketio-tokens", ".txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < (count + 15) / 16; i++) {
            lines.add(accounts.signIns().signUp(new NewUser("idle." + System.nanoTime() + "@example.com", "Bench", "Mark",
                    PASSWORD), ClientInfo.unknown()).session().sessionToken());
        }
        Files.write(tokens, lines);
        long heapBefore = BenchReport.heapAfterGc();
        Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss256k", "-cp", System.getProperty("java.class.path"), SocketIoIdleClients.class.getName(),
                Integer.toString(http.port()), tokens.toString(), Integer.toString(count))
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        // At once: the clients are silent, so engine.io drops each 45 s (ping interval and timeout) after it came.
        int open = realtime.openSockets();
        long heapAfter = BenchReport.heapAfterGc();
        clients.destroy();
        Files.delete(tokens);
        return "| " + open + " idle Socket.IO clients, WebSocket transport (clients: " + line + ") | heap "
                + String.format("%.1f", (heapAfter - heapBefore) / 1024.0 / Math.max(1, open))
                + " KiB per client after GC |";
    }

    private void close() {
        http.stop();
        http.awaitStop();
        realtime.close();
        accounts.close();
    }
}
