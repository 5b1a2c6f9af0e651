package io.github.accounts.bench;

import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.config.ThrottleLimits.Rate;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import io.github.accounts.web.AccountsRoutes;
import spark.Service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Whether {@code POST /sessions/email} takes as long for a known address as for an unknown one, over a real socket:
 * after a warm-up, {@code rounds} requests of each, interleaved (known, unknown, known, ...), each to an address of
 * its own; prints both medians and their difference. A measurement, not a test: on a shared 2-core machine the
 * spread between runs is as large as the effect asked about. Run with
 * {@code java -cp bench/target/benchmarks.jar io.github.accounts.bench.EmailSignInTiming [H2|POSTGRES] [rounds]}.
 */
public final class EmailSignInTiming {
    private EmailSignInTiming() {
    }

    public static void main(String[] args) throws Exception {
        TestDatabase database = TestDatabase.valueOf(args.length > 0 ? args[0] : "H2");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        AccountsConfig base = AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING);
        Rate lifted = new Rate(1_000_000, Duration.ofMinutes(1));
        AccountsConfig config = base.withThrottling(base.throttling().withSignUps(lifted)
                .withEmailSignIns(lifted, lifted));
        try (TestAccounts t = new TestAccounts(database, config)) {
            Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
            AccountsRoutes.builder(t.accounts).build().mount(http, "/accounts");
            http.init();
            http.awaitInitialization();
            try {
                String url = "http://127.0.0.1:" + http.port() + "/accounts/sessions/email";
                HttpClient client = HttpClient.newHttpClient();
                List<String> known = new ArrayList<>();
                for (int i = 0; i < 2 * rounds + 20; i++) {
                    known.add(TestUsers.signUp(t.accounts, "timing.known").email());
                }
                for (int i = 0; i < 20; i++) { // warm-up, both kinds
                    post(client, url, known.remove(known.size() - 1));
                    post(client, url, TestUsers.uniqueEmail("timing.warm"));
                }
                List<Long> forKnown = new ArrayList<>();
                List<Long> forUnknown = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    forKnown.add(post(client, url, known.get(i)));
                    forUnknown.add(post(client, url, TestUsers.uniqueEmail("timing.unknown")));
                }
                double k = median(forKnown) / 1e6;
                double u = median(forUnknown) / 1e6;
                System.out.printf("%s, %d each: known median %.3f ms, unknown median %.3f ms, difference %.1f %%%n",
                        database, rounds, k, u, 100 * (k - u) / u);
            } finally {
                http.stop();
                http.awaitStop();
            }
        }
    }

    private static long post(HttpClient client, String url, String email) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}")).build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long took = System.nanoTime() - start;
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Expected 202, got " + response.statusCode() + " " + response.body());
        }
        return took;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
