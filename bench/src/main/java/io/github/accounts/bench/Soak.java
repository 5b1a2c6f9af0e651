// Over 300 lines: one self-contained soak (server start, paced load, sampling, report) read top to bottom.
package io.github.accounts.bench;

import io.github.accounts.core.testing.TestDatabase;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of issue 33: demo-app started the way the README starts it ({@code java @demo-app/jvm.options -jar
 * demo-app/target/demo-app.jar serve}, testing's in-memory database unless {@code APP_SETTINGS} and
 * {@code DATABASE_URL} say otherwise; {@code --database postgres} gives it a fresh schema of an embedded
 * PostgreSQL started here, which keeps the rows out of the server's heap), driven with sign-ins, refreshes and authenticated calls at fixed rates
 * (about half of what the machine serves, by default) for a while; every 10 s it samples the server's RSS and its
 * heap after a full collection ({@code jcmd PID GC.class_histogram}), and at the end it prints the
 * growth of both from the end of the warm-up to the end (goal &lt; 5 %) and writes every sample to a CSV file.
 * Run from the repository root, after building both jars:
 * <pre>
 * java -cp bench/target/benchmarks.jar io.github.accounts.bench.Soak [--duration 30m] [--warmup 5m]
 *     [--sign-ins 10] [--refreshes 500] [--calls 2000] [--jar demo-app/target/demo-app.jar]
 *     [--options demo-app/jvm.options] [--csv bench/target/soak.csv] [--database h2|postgres]
 * </pre>
 * Rates are per second; the warm-up defaults to a sixth of the duration (5 of 30 minutes). Nothing asserts.
 */
public final class Soak {
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final String PASSWORD = "quartz-lantern-meadow-soak-orbit";
    private static final Pattern TOKEN = Pattern.compile("\"(session_token|update_token)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Map<String, AtomicLong> answered = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    /** The last failure of each kind, for the report. */
    private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private Soak(String base) {
        this.base = base;
    }

    /** One sample: seconds since the load started, RSS and heap used after a full collection, in KiB. */
    record Sample(long second, long rssKiB, long heapKiB) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Duration duration = duration(opts.getOrDefault("duration", "30m"));
        Duration warmup = opts.containsKey("warmup") ? duration(opts.get("warmup")) : duration.dividedBy(6);
        double signIns = Double.parseDouble(opts.getOrDefault("sign-ins", "10"));
        double refreshes = Double.parseDouble(opts.getOrDefault("refreshes", "500"));
        double calls = Double.parseDouble(opts.getOrDefault("calls", "2000"));
        Path jar = Path.of(opts.getOrDefault("jar", "demo-app/target/demo-app.jar"));
        Path jvmOptions = Path.of(opts.getOrDefault("options", "demo-app/jvm.options"));
        Path csv = Path.of(opts.getOrDefault("csv", "bench/target/soak-" + Instant.now().getEpochSecond() + ".csv"));

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags(jvmOptions, jar));
        command.addAll(List.of("-jar", jar.toString(), "serve"));
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(csv.resolveSibling("soak-server.log").toFile());
        builder.environment().putIfAbsent("APP_SETTINGS", "testing");
        switch (opts.getOrDefault("database", "h2")) {
            case "h2" -> { }
            case "postgres" -> builder.environment().putIfAbsent("DATABASE_URL", TestDatabase.POSTGRES.freshJdbcUrl());
            default -> throw new IllegalArgumentException("--database is h2 or postgres");
        }
        builder.environment().put("HOST", "127.0.0.1");
        builder.environment().put("PORT", Integer.toString(port));
        Files.createDirectories(csv.toAbsolutePath().getParent());
        String loadAtStart = loadAverage();
        Process server = builder.start();
        try {
            Soak soak = new Soak("http://127.0.0.1:" + port);
            soak.awaitLive(server);
            System.out.println("server " + server.pid() + ": " + String.join(" ", command));
            soak.run(server.pid(), duration, warmup, signIns, refreshes, calls, csv, loadAtStart);
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private void run(long pid, Duration duration, Duration warmup, double signInRate, double refreshRate,
                     double callRate, Path csv, String loadAtStart) throws Exception {
        String suffix = Long.toString(System.nanoTime());
        String email = "soak-" + suffix + "@example.com";
        String reader = "soak-reader-" + suffix + "@example.com";
        signUp(email);
        String session = token(signUp(reader), "session_token");
        List<Thread> threads = new ArrayList<>();
        // Sign-ins on one user (each evicts its oldest session past the per-user cap), refresh chains each on a
        // session of their own, authenticated calls with one reader's token.
        threads.addAll(paced("sign-in", signInRate, 4, () -> post("sign-in", "/accounts/sessions",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")));
        for (int i = 0; i < 4; i++) {
            String[] chain = {token(post("sign-in", "/accounts/sessions",
                    "{\"email\":\"" + reader + "\",\"password\":\"" + PASSWORD + "\"}"), "update_token")};
            threads.addAll(paced("refresh", refreshRate / 4, 1, () -> {
                String answer = post("refresh", "/accounts/sessions/refresh",
                        "{\"update_token\":\"" + chain[0] + "\"}");
                String next = token(answer, "update_token");
                if (next != null) {
                    chain[0] = next;
                }
            }));
        }
        threads.addAll(paced("users/me", callRate, 4, () -> get("users/me", "/accounts/users/me", session)));
        threads.forEach(Thread::start);

        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<String> lines = new ArrayList<>(List.of("second,rss_kib,heap_after_gc_kib,sign_ins,refreshes,calls,failed"));
        for (long next = start; next <= end; next += SAMPLE_EVERY.toNanos()) {
            sleepUntil(next);
            Sample s = new Sample(TimeUnit.NANOSECONDS.toSeconds(next - start),
                    BenchReport.statusKiB(Long.toString(pid), "VmRSS:"), heapAfterGcKiB(pid));
            samples.add(s);
            lines.add(s.second() + "," + s.rssKiB() + "," + s.heapKiB() + "," + count(answered, "sign-in") + ","
                    + count(answered, "refresh") + "," + count(answered, "users/me") + "," + failures());
            Files.write(csv, lines);
            System.out.printf("%5d s  RSS %6.1f MiB  heap after GC %6.1f MiB  answered %s  failed %d%n",
                    s.second(), s.rssKiB() / 1024.0, s.heapKiB() / 1024.0, answered, failures());
        }
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Sample from = samples.stream().filter(s -> s.second() >= warmup.toSeconds()).findFirst()
                .orElse(samples.get(0));
        Sample to = samples.get(samples.size() - 1);
        List<String> rows = new ArrayList<>();
        rows.add("| duration, warm-up | " + duration + ", " + warmup + " (growth from " + from.second() + " s to "
                + to.second() + " s) |");
        rows.add("| load average at start, end | " + loadAtStart + " → " + loadAverage() + " |");
        rows.add(String.format("| answered per second (asked) | sign-ins %.1f (%s), refreshes %.0f (%s), /users/me"
                        + " %.0f (%s); %d failed |", count(answered, "sign-in") / seconds, signInRate,
                count(answered, "refresh") / seconds, refreshRate, count(answered, "users/me") / seconds, callRate,
                failures()));
        rows.add("| RSS | " + growth(from.rssKiB(), to.rssKiB()) + "; peak sample "
                + mib(samples.stream().mapToLong(Sample::rssKiB).max().orElse(0)) + ", VmHWM "
                + mib(BenchReport.statusKiB(Long.toString(pid), "VmHWM:")) + " |");
        rows.add("| heap after GC | " + growth(from.heapKiB(), to.heapKiB()) + " |");
        lastFailure.forEach((kind, message) -> rows.add("| last failure, " + kind + " (" + count(failed, kind)
                + " in all) | " + message.replace("|", "\\|") + " |"));
        rows.add("| samples | " + csv + " |");
        BenchReport.printTable("soak (goal: growth < 5 % from the end of the warm-up to the end)", rows);
    }

    /** {@code threads} threads doing {@code work} {@code rate} times a second between them, until the end. */
    private List<Thread> paced(String name, double rate, int threads, Work work) {
        List<Thread> out = new ArrayList<>();
        if (rate <= 0) {
            return out;
        }
        long interval = (long) (1e9 / rate * threads);
        for (int i = 0; i < threads; i++) {
            long offset = interval / threads * i;
            Thread t = new Thread(() -> {
                long next = System.nanoTime() + offset;
                while (running) {
                    sleepUntil(next);
                    try {
                        work.run();
                    } catch (Exception e) {
                        failed.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
                        lastFailure.put(name, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                    // behind by more than a second: drop what was missed rather than burst to catch up
                    next = Math.max(next + interval, System.nanoTime() - 1_000_000_000L);
                }
            }, "soak-" + name + "-" + i);
            t.setDaemon(true);
            out.add(t);
        }
        return out;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    private String signUp(String email) throws Exception {
        return post("sign-up", "/accounts/users", "{\"email\":\"" + email + "\",\"fname\":\"Steady\",\"lname\":\"Load\","
                + "\"password\":\"" + PASSWORD + "\"}");
    }

    private String post(String kind, String path, String json) throws Exception {
        return send(kind, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private String get(String kind, String path, String token) throws Exception {
        return send(kind, HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token));
    }

    private String send(String kind, HttpRequest.Builder request) throws Exception {
        HttpResponse<String> answer = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(kind + " answered " + answer.statusCode() + ": " + answer.body());
        }
        answered.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        return answer.body();
    }

    private void awaitLive(Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("demo-app stopped at start; see soak-server.log");
            }
            try {
                client.send(HttpRequest.newBuilder(URI.create(base + "/livez")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("demo-app did not answer /livez within 120 s");
    }

    private static String token(String json, String name) {
        Matcher m = TOKEN.matcher(json);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return null;
    }

    /**
     * The server's live heap in KiB: {@code GC.class_histogram} collects in full first and totals what is left, in
     * one call (a {@code GC.run} then a {@code GC.heap_info} also counted what was allocated between the two).
     */
    private static long heapAfterGcKiB(long pid) throws Exception {
        Matcher m = TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** demo-app/jvm.options without its comments, its class-data archive the one beside {@code jar}. */
    static List<String> jvmFlags(Path options, Path jar) throws IOException {
        String archive = jar.toString().replaceAll("\\.jar$", ".jsa");
        return Files.readAllLines(options).stream().map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .map(l -> l.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : l)
                .toList();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new ConcurrentHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            out.put(args[i].substring(2), args[i + 1]);
        }
        return out;
    }

    /** {@code 30m}, {@code 90s}, {@code 1h}. */
    static Duration duration(String text) {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("a duration like 30m, 90s or 1h: " + text);
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long count(Map<String, AtomicLong> counts, String kind) {
        AtomicLong n = counts.get(kind);
        return n == null ? 0 : n.get();
    }

    private long failures() {
        return failed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private static String growth(long fromKiB, long toKiB) {
        return String.format("%s → %s, growth %+.1f %%%s", mib(fromKiB), mib(toKiB),
                100.0 * (toKiB - fromKiB) / fromKiB, toKiB - fromKiB < 0.05 * fromKiB ? " (met)" : " (**missed**)");
    }

    private static String mib(long kib) {
        return String.format("%.1f MiB", kib / 1024.0);
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }
}
