package io.github.accounts.bench;

import com.sun.net.httpserver.HttpServer;
import io.github.accounts.core.Accounts;
import io.github.accounts.core.Authenticated;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.core.testing.TestUsers.TestUser;
import io.github.accounts.core.webhook.CreatedWebhook;
import io.github.accounts.core.webhook.WebhookPolicy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhooks' three numbers, in process with a receiver on a loopback port (the JDK's HTTP server, answering 204 at
 * once), the background worker of one instance with its default 4 senders, cheap hashing:
 * <ol>
 *   <li>event to delivery: a profile change commits, then the time until the receiver has its delivery, one at a
 *       time, {@code samples} of them: p50 and p99;</li>
 *   <li>deliveries per second per instance: {@code backlog} events written with the worker off, then an instance
 *       with it on sends them all; counted from the first delivery received to the last;</li>
 *   <li>what an active webhook adds to a sign-in's transaction: {@code signIns} sign-ins without a webhook and as
 *       many with one matching {@code session.*} (only writing its delivery: that instance's worker is off),
 *       interleaved in rounds of 50; medians.</li>
 * </ol>
 * A measurement, not a test; on a shared machine its spread is wide. Run with {@code java -cp
 * bench/target/benchmarks.jar io.github.accounts.bench.WebhookBenchmark [H2|POSTGRES] [samples] [backlog] [signIns]}.
 */
public final class WebhookBenchmark {
    private static final AccountsConfig CONFIG = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING);

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        TestDatabase database = TestDatabase.valueOf(args.length > 0 ? args[0] : "H2");
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int backlog = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
        int signIns = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        try (Receiver receiver = new Receiver()) {
            latency(database, receiver, samples);
            throughput(database, receiver, backlog);
            signInCost(database, receiver, signIns);
        }
    }

    private static void latency(TestDatabase database, Receiver receiver, int samples) throws Exception {
        try (TestAccounts t = new TestAccounts(database, CONFIG, b -> b.clock(Clock.systemUTC()))) {
            Accounts accounts = t.accounts;
            Authenticated user = signedUp(accounts, "latency");
            register(accounts, receiver, "user.updated");
            List<Long> took = new ArrayList<>();
            for (int i = 0; i < samples + 50; i++) { // the first 50 warm up
                int before = receiver.count.get();
                accounts.profile().update(user, "Grace" + i, null);
                long committed = System.nanoTime();
                while (receiver.count.get() == before) {
                    Thread.onSpinWait();
                }
                if (i >= 50) {
                    took.add(Math.max(0, receiver.last.get() - committed));
                }
            }
            Collections.sort(took);
            System.out.printf("%s event to delivery, %d one at a time: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    database, samples, took.get(took.size() / 2) / 1e6, took.get(took.size() * 99 / 100) / 1e6,
                    took.get(took.size() - 1) / 1e6);
        }
    }

    private static void throughput(TestDatabase database, Receiver receiver, int backlog) throws Exception {
        try (TestAccounts t = new TestAccounts(database, CONFIG,
                b -> b.clock(Clock.systemUTC()).housekeeping(false))) {
            Authenticated user = signedUp(t.accounts, "backlog");
            register(t.accounts, receiver, "user.updated");
            for (int i = 0; i < backlog; i++) {
                t.accounts.profile().update(user, "Grace" + i, null);
            }
            receiver.reset();
            try (Accounts sender = Accounts.builder(t.emf).config(CONFIG).clock(Clock.systemUTC())
                    .throttleSecret(TestAccounts.THROTTLE_SECRET).mailer((to, subject, body) -> { })
                    .webhooks(TestAccounts.WEBHOOK_KEY, WebhookPolicy.allowingPrivateNetworks()).build()) {
                while (receiver.count.get() < backlog) {
                    Thread.sleep(5);
                }
                double seconds = (receiver.last.get() - receiver.first.get()) / 1e9;
                System.out.printf("%s deliveries per second, one instance, %d senders, %d backlogged: %.0f /s%n",
                        database, WebhookPolicy.DEFAULT_SENDERS, backlog, (backlog - 1) / seconds);
            }
        }
    }

    private static void signInCost(TestDatabase database, Receiver receiver, int signIns) throws Exception {
        try (TestAccounts t = new TestAccounts(database, CONFIG,
                b -> b.clock(Clock.systemUTC()).housekeeping(false))) {
            Accounts accounts = t.accounts;
            TestUser user = TestUsers.signUp(accounts, "signin.cost");
            Authenticated operator = signedUp(accounts, "operator");
            List<Long> without = new ArrayList<>();
            List<Long> with = new ArrayList<>();
            for (int i = 0; i < 100; i++) { // warm-up
                accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            }
            for (int round = 0; round < signIns / 50; round++) {
                signIn(accounts, user, 50, without);
                CreatedWebhook hook = register(accounts, receiver, "session.*");
                signIn(accounts, user, 50, with);
                accounts.webhooks().delete(operator, hook.webhook().id(), ClientInfo.unknown());
            }
            double a = median(without) / 1e3;
            double b = median(with) / 1e3;
            System.out.printf("%s sign-in (cheap hashing), %d each: median %.0f us without a webhook, %.0f us with"
                    + " one (+%.0f us, %+.1f %%)%n", database, without.size(), a, b, b - a, 100 * (b - a) / a);
        }
    }

    private static void signIn(Accounts accounts, TestUser user, int n, List<Long> into) {
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            accounts.signIns().signIn(user.email(), user.password(), ClientInfo.unknown());
            into.add(System.nanoTime() - start);
        }
    }

    private static Authenticated signedUp(Accounts accounts, String hint) {
        return accounts.sessions().authenticate(TestUsers.signUp(accounts, hint).session().sessionToken());
    }

    private static CreatedWebhook register(Accounts accounts, Receiver receiver, String type) {
        return accounts.webhooks().create(signedUp(accounts, "operator"), receiver.url(), List.of(type), "bench",
                ClientInfo.unknown());
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Answers 204 at once; counts requests and keeps the times of the first and the last. */
    private static final class Receiver implements AutoCloseable {
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong first = new AtomicLong();
        final AtomicLong last = new AtomicLong();
        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(8);

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                long now = System.nanoTime();
                first.compareAndSet(0, now);
                last.set(now);
                count.incrementAndGet();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        void reset() {
            count.set(0);
            first.set(0);
            last.set(0);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
