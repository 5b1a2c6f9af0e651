package io.github.accounts.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.AccountsSchema;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits;
import io.github.accounts.core.event.AccountEventListener;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import io.github.accounts.web.AccountsRoutes;
import io.github.accounts.web.Fanout;
import io.github.accounts.web.Realtime;
import spark.Service;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real-time channel's costs on an embedded PostgreSQL 17 (issue 19's bench): event-to-socket latency p50/p99 on
 * one instance and across two (goal p99 &lt; 250 ms), heap per idle socket with 10,000 idle authenticated sockets
 * (goal &lt; 20 KiB; the clients run in a process of their own, {@link IdleSocketsClient}), and what a sign-in
 * costs more when its user has 16 open sockets. Prints a markdown table; asserts nothing. Run with
 * {@code java -cp bench/target/benchmarks.jar io.github.accounts.bench.RealtimeBenchmark [samples]}.
 */
public final class RealtimeBenchmark {
    private static final String PASSWORD = "plum ferry quartz nine lantern";
    private static final String SOCKET = "/accounts/events/socket";

    private RealtimeBenchmark() {
    }

    /** One instance: accounts, channel and server over the shared database. */
    private static final class Instance implements AutoCloseable {
        final Realtime realtime;
        final Accounts accounts;
        final Service http;
        final String base;
        final AtomicLong listenerNanos = new AtomicLong();

        Instance(HikariDataSource ds, String jdbcUrl, boolean timed) {
            realtime = Realtime.builder().maxSockets(20_000)
                    .fanout(Fanout.postgres(() -> DriverManager.getConnection(jdbcUrl))).build();
            AccountEventListener push = realtime.listener();
            AccountEventListener listener = !timed ? push : e -> {
                long t0 = System.nanoTime();
                push.onEvent(e);
                listenerNanos.addAndGet(System.nanoTime() - t0);
            };
            AccountsConfig config = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)
                    .withThrottling(AccountsConfig.originalDesign().throttling()
                            .withSignUps(new ThrottleLimits.Rate(100_000, Duration.ofMinutes(1))));
            accounts = Accounts.builder(ds).throttleSecret(TestAccounts.THROTTLE_SECRET).config(config).housekeeping(false).eventListener(listener).build();
            AccountsRoutes routes = AccountsRoutes.builder(accounts).realtime(realtime).csrfKey(new byte[32]).build();
            http = Service.ignite().ipAddress("127.0.0.1").port(0).threadPool(200);
            routes.mount(http, "/accounts");
            http.init();
            http.awaitInitialization();
            base = "ws://127.0.0.1:" + http.port();
        }

        @Override
        public void close() {
            http.stop();
            http.awaitStop();
            realtime.close();
            accounts.close();
        }
    }

    /** A socket that notes when each text message arrives. */
    private static final class Receiver implements WebSocket.Listener {
        final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (last) {
                arrivals.add(System.nanoTime());
            }
            ws.request(1);
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        String jdbcUrl = TestDatabase.POSTGRES.freshJdbcUrl();
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setMaximumPoolSize(16);
        List<String> rows = new ArrayList<>();
        try (HikariDataSource ds = new HikariDataSource(pool)) {
            AccountsSchema.migrate(ds);
            try (Instance a = new Instance(ds, jdbcUrl, true); Instance b = new Instance(ds, jdbcUrl, false)) {
                Thread.sleep(2_000); // both fan-outs listening
                rows.add(latency("one instance (change and socket on A)", a, a, samples));
                rows.add(latency("two instances (change on A, socket on B)", a, b, samples));
                rows.add(signInCost(a, samples));
                rows.add(idleSockets(a, 10_000));
            }
        }
        BenchReport.printTable("real-time (PostgreSQL 17 embedded, " + samples + " samples)", rows);
    }

    private static SignedIn signUp(Accounts accounts, String hint) {
        String email = hint + "." + System.nanoTime() + "@example.com";
        return accounts.signIns().signUp(new NewUser(email, "Bench", "Mark", PASSWORD), ClientInfo.unknown());
    }

    private static WebSocket open(Instance at, String token, WebSocket.Listener listener) {
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(at.base + SOCKET), listener).join();
        ws.sendText("{\"type\":\"authenticate\",\"session_token\":\"" + token + "\"}", true).join();
        return ws;
    }

    /** From the call that changes the account (its transaction included) to the socket's receipt of the event. */
    private static String latency(String label, Instance changeOn, Instance socketOn, int samples)
            throws InterruptedException {
        SignedIn user = signUp(changeOn.accounts, "latency");
        Authenticated who = changeOn.accounts.sessions().authenticate(user.session().sessionToken());
        Receiver receiver = new Receiver();
        WebSocket ws = open(socketOn, user.session().sessionToken(), receiver);
        receiver.arrivals.poll(10, TimeUnit.SECONDS); // ready
        long[] nanos = new long[samples];
        for (int i = -samples / 5; i < samples; i++) { // the first fifth warms up
            long t0 = System.nanoTime();
            changeOn.accounts.profile().update(who, "Bench" + (i & 1), null);
            Long arrived = receiver.arrivals.poll(10, TimeUnit.SECONDS);
            if (arrived == null) {
                throw new IllegalStateException("An event never reached the socket (" + label + ")");
            }
            if (i >= 0) {
                nanos[i] = arrived - t0;
            }
        }
        ws.abort();
        Arrays.sort(nanos);
        return "| event to socket, " + label + " | " + BenchReport.percentiles(nanos) + " |";
    }

    /** Sign-in time with none and with 16 of the user's sockets open, and the listener's time per event. */
    private static String signInCost(Instance a, int samples) throws InterruptedException {
        SignedIn lonely = signUp(a.accounts, "lonely");
        SignedIn popular = signUp(a.accounts, "popular");
        List<WebSocket> sockets = new ArrayList<>();
        Receiver sink = new Receiver();
        for (int i = 0; i < 16; i++) {
            sockets.add(open(a, popular.session().sessionToken(), sink));
        }
        Thread.sleep(1_000);
        signIns(a, lonely.user().email(), samples); // a round each to warm up, then the measured pair
        signIns(a, popular.user().email(), samples);
        double[] none = signIns(a, lonely.user().email(), samples);
        double[] sixteen = signIns(a, popular.user().email(), samples);
        sockets.forEach(WebSocket::abort);
        return "| sign-in (cheap test hashing), 0 vs 16 open sockets of the user | median " + fmt(none[0]) + " vs "
                + fmt(sixteen[0]) + " ms on the request; the push listener's time per event " + fmt(none[1])
                + " ms vs " + fmt(sixteen[1]) + " ms (on the event thread, after commit) |";
    }

    private static double[] signIns(Instance a, String email, int samples) throws InterruptedException {
        long[] nanos = new long[samples];
        Thread.sleep(500);
        for (int i = -samples / 5; i < samples; i++) {
            if (i == 0) {
                Thread.sleep(500);
                a.listenerNanos.set(0);
            }
            long t0 = System.nanoTime();
            a.accounts.signIns().signIn(email, PASSWORD, ClientInfo.unknown());
            if (i >= 0) {
                nanos[i] = System.nanoTime() - t0;
            }
        }
        Thread.sleep(1_000); // the event thread catches up
        Arrays.sort(nanos);
        // each sign-in past the cap of 100 sessions also evicts one: two events
        return new double[] {nanos[samples / 2] / 1e6, a.listenerNanos.get() / 1e6 / samples};
    }

    /** Heap (after GC) and RSS of this process before and after {@code count} idle authenticated sockets. */
    private static String idleSockets(Instance a, int count) throws Exception {
        Path tokens = Files.createTempFile("realtime-tokens", ".txt");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < (count + 15) / 16; i++) {
            lines.add(signUp(a.accounts, "idle").session().sessionToken());
        }
        Files.write(tokens, lines);
        long heapBefore = BenchReport.heapAfterGc();
        long rssBefore = BenchReport.rssKiB();
        Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss256k", "-cp", System.getProperty("java.class.path"), IdleSocketsClient.class.getName(),
                Integer.toString(URI.create(a.base).getPort()), SOCKET, tokens.toString(), Integer.toString(count))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (a.realtime.openSockets() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        int open = a.realtime.openSockets();
        long heapAfter = BenchReport.heapAfterGc();
        long rssAfter = BenchReport.rssKiB();
        clients.destroy();
        Files.delete(tokens);
        return "| " + open + " idle authenticated sockets (clients: " + line + ") | heap " + kib(heapAfter - heapBefore, open)
                + " KiB per socket after GC; RSS " + String.format("%.1f", (rssAfter - rssBefore) / (double) open)
                + " KiB per socket |";
    }

    private static String kib(long bytes, int n) {
        return String.format("%.1f", bytes / 1024.0 / Math.max(1, n));
    }

    private static String fmt(double ms) {
        return String.format("%.3f", ms);
    }
}
