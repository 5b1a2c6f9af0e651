package io.github.accounts.bench;

import com.sun.management.OperatingSystemMXBean;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits.Rate;
import io.github.accounts.core.federation.CallbackOutcome;
import io.github.accounts.core.federation.FederatedStart;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestProviders;
import io.github.accounts.core.testing.TestUsers;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The CPU a federated sign-in's callback costs accounts, next to a password sign-in's, in process: a local OpenID
 * Connect provider (mock-oauth2-server, over loopback), a returning identity (outcome 1: a session), the JWKS warm.
 * Only {@code finish} is measured, not the browser's visit to the provider; its CPU is the calling thread's (the code
 * exchange's HTTP client, the ID token's validation, the flow's and the session's statements), so the provider's own
 * work (signing the token, on its server threads) and every wait on it stay out. A password sign-in is measured as
 * the process's CPU per sign-in (its Argon2id hash runs on the hashing pool's threads, the shipped parameters), and
 * its calling thread's CPU alongside. Prints medians over {@code rounds} rounds of {@code n} each. Run with
 * {@code java -cp bench/target/benchmarks.jar io.github.accounts.bench.FederatedSignInCost [H2|POSTGRES] [n] [rounds]}.
 */
public final class FederatedSignInCost {
    private static final ClientInfo BROWSER = new ClientInfo("Browser/1.0", "198.51.100.7");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static int flows;

    private FederatedSignInCost() {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase database = TestDatabase.valueOf(args.length > 0 ? args[0] : "H2");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        AccountsConfig base = AccountsConfig.originalDesign(); // the shipped Argon2id parameters
        Rate lifted = new Rate(1_000_000, Duration.ofMinutes(1));
        AccountsConfig config = base.withThrottling(base.throttling().withSignUps(lifted));
        try (TestProviders providers = new TestProviders();
             TestAccounts t = new TestAccounts(database, config, b -> b.federation(providers.settings()))) {
            String subject = "bench-subject";
            Map<String, Object> claims = Map.of("email", "bench.federated@example.com", "email_verified", true,
                    "given_name", "Grace", "family_name", "Hopper");
            TestUsers.TestUser user = TestUsers.signUp(t.accounts, "bench.password");
            for (int i = 0; i < Math.max(50, n / 2); i++) { // warm-up: the JIT, the JWKS cache, the pools
                federated(t, providers, subject, claims);
                t.accounts.signIns().signIn(user.email(), user.password(), BROWSER);
            }
            List<Double> callbackThread = new ArrayList<>();
            List<Double> callbackProcess = new ArrayList<>();
            List<Double> passwordThread = new ArrayList<>();
            List<Double> passwordProcess = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long thread = 0;
                long process = 0;
                for (int i = 0; i < n; i++) {
                    long[] cost = federated(t, providers, subject, claims);
                    thread += cost[0];
                    process += cost[1];
                }
                callbackThread.add(thread / 1e3 / n);
                callbackProcess.add(process / 1e3 / n);
                long threadStart = THREADS.getCurrentThreadCpuTime();
                long processStart = PROCESS.getProcessCpuTime();
                int signIns = Math.max(10, n / 10);
                for (int i = 0; i < signIns; i++) {
                    t.accounts.signIns().signIn(user.email(), user.password(), BROWSER);
                }
                passwordThread.add((THREADS.getCurrentThreadCpuTime() - threadStart) / 1e3 / signIns);
                passwordProcess.add((PROCESS.getProcessCpuTime() - processStart) / 1e3 / signIns);
            }
            System.out.printf("%s, %d rounds of %d callbacks: callback, calling thread's CPU: median %.0f µs %s;"
                            + " process CPU during the callback (the in-process provider's token signing included):"
                            + " median %.0f µs %s%n", database, rounds, n, median(callbackThread), callbackThread,
                    median(callbackProcess), callbackProcess);
            System.out.printf("password sign-in (shipped Argon2id): process CPU median %.0f µs %s; calling thread's"
                    + " %.0f µs %s%n", median(passwordProcess), passwordProcess, median(passwordThread),
                    passwordThread);
        }
    }

    /** One round trip; only {@code finish} measured: {calling thread's CPU, process CPU}, in nanoseconds. */
    private static long[] federated(TestAccounts t, TestProviders providers, String subject,
                                    Map<String, Object> claims) {
        int k = flows++; // an address of its own per flow: starts are limited to 30 a minute per address
        ClientInfo from = new ClientInfo("Browser/1.0", "10." + (k >> 16 & 255) + "." + (k >> 8 & 255) + "." + (k & 255));
        FederatedStart start = t.accounts.federation().start("oidc", null, from);
        Map<String, List<String>> callback = providers.visit(start.authorizationUrl());
        providers.nextOidcUser("oidc", subject, claims);
        long thread = THREADS.getCurrentThreadCpuTime();
        long process = PROCESS.getProcessCpuTime();
        CallbackOutcome outcome = t.accounts.federation().finish("oidc", callback, start.browserKey(), from);
        long[] cost = {THREADS.getCurrentThreadCpuTime() - thread, PROCESS.getProcessCpuTime() - process};
        if (!(outcome instanceof CallbackOutcome.SignedInWith)) {
            throw new IllegalStateException("Expected a sign-in, got " + outcome);
        }
        return cost;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
