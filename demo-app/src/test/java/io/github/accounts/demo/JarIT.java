package io.github.accounts.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code demo-app.jar}, run as a person would: {@code java -jar} in an empty directory with no
 * settings, then stopped with SIGTERM; and its {@code db} commands reading a {@code .env} file.
 */
class JarIT {
    private static final Path JAR = Path.of(System.getProperty("demo.jar", "target/demo-app.jar")).toAbsolutePath();
    private static final Path JVM_OPTIONS = Path.of(System.getProperty("demo.jvm.options", "jvm.options"));
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final List<String> SETTINGS = List.of("APP_SETTINGS", "DATABASE_URL", "HOST", "PORT",
            "ACCOUNTS_PROFILE", "DATABASE_POOL_SIZE", "TRUSTED_PROXIES", "ALLOWED_ORIGINS", "SECRET_KEY", "PUBLIC_URL",
            "INSECURE_COOKIES", "MAIL_URL", "MAIL_FROM");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theJarServesWithNoSetupAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Path logFile = dir.resolve("stderr.log"); // a file, not a pipe: destroy() closes the pipes of a Process
        Process app = java(dir, Map.of("HOST", "127.0.0.1", "PORT", "0")).redirectError(logFile.toFile()).start();
        Log log = new Log(logFile);
        try {
            int port = Integer.parseInt(log.await(LISTENING, Duration.ofSeconds(90)).group(1));
            String base = "http://127.0.0.1:" + port;
            assertThat(log.text()).contains("environment development", "database H2 file ./data/accounts",
                    "security profile original-design (no deviations)");

            assertThat(send("GET", base + "/livez", null, null).body()).isEqualTo("ok");
            HttpResponse<String> signUp = send("POST", base + "/accounts/users", """
                    {"email": "jar@example.com", "fname": "Jo", "lname": "Jar", "password": "%s"}"""
                    .formatted(TestApp.PASSWORD), null);
            assertThat(signUp.statusCode()).isEqualTo(201);
            String token = signUp.body().replaceAll(".*\"session_token\":\"([^\"]+)\".*", "$1");
            assertThat(send("GET", base + "/api/greeting", null, token).body()).isEqualTo("{\"message\":\"Hello, Jo!\"}");
            assertThat(send("POST", base + "/accounts/password-resets", "{\"email\": \"jar@example.com\"}", null)
                    .statusCode()).isEqualTo(202);
            log.await(Pattern.compile("Mail to jar@example.com, subject \"Reset your password\""), Duration.ofSeconds(30));

            app.destroy(); // SIGTERM
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(app.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            assertThat(log.text()).contains("INFO RunningApp - Stopping", "INFO RunningApp - Stopped");
            assertThat(log.text()).contains("INFO http - POST /accounts/users 201 ", "INFO http - GET /api/greeting 200 ")
                    .doesNotContain(TestApp.PASSWORD).doesNotContain(token);
            assertThat(dir.resolve("data/accounts.mv.db")).exists();
            Path key = dir.resolve("data/secret.key");
            assertThat(log.text()).contains("WARN SecretKey - SECRET_KEY is not set: using the development key kept in "
                    + key.toRealPath());
            assertThat(Files.readString(key)).matches("[0-9a-f]{64}\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        } finally {
            app.destroyForcibly();
        }
    }

    @Test
    void dbCommandsOfTheJarReadDotEnvAndExitNonZeroWithAReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(".env"), "DATABASE_URL=jdbc:h2:file:./data/from-dotenv\n");
        Run status = run(dir, "db", "status");
        assertThat(status.exit()).isZero();
        assertThat(status.out()).startsWith("14 change sets pending on H2 file ./data/from-dotenv");
        assertThat(run(dir, "db", "upgrade").out()).startsWith("Applied 14 change sets");
        assertThat(run(dir, "db", "status").out()).startsWith("Up to date");

        Run unknown = run(dir, "db", "frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: Unknown command 'db frobnicate'").contains("Usage:");
    }

    @Test
    void checkStartsFromTheClassDataArchiveBuiltWithTheJarAndStops(@TempDir Path dir) throws Exception {
        // -Xshare:on: an archive that does not match this jar is an error here, not a silently slower start
        ProcessBuilder check = java(dir, Map.of("APP_SETTINGS", "testing", "HOST", "127.0.0.1", "PORT", "0"), "check");
        check.command().add(1, "-Xshare:on");
        Run run = run(check, dir);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).matches("ok: started, http://127\\.0\\.0\\.1:\\d+/livez answered 200, stopped\n");
        assertThat(run.err()).doesNotContain("[cds").contains("INFO RunningApp - Stopped");
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(Path dir, String... args) throws Exception {
        return run(java(dir, Map.of(), args), dir);
    }

    private static Run run(ProcessBuilder command, Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = command.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static ProcessBuilder java(Path dir, Map<String, String> variables, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions());
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().keySet().removeAll(SETTINGS);
        builder.environment().putAll(variables);
        return builder;
    }

    /**
     * The flags of demo-app/jvm.options, as the README starts the jar; its class-data archive is the one beside the
     * jar under test (the file names it relative to the repository root).
     */
    private static List<String> jvmOptions() {
        try {
            Path archive = JAR.resolveSibling(JAR.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
            return Files.readAllLines(JVM_OPTIONS).stream().map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(flag -> !flag.isEmpty())
                    .map(flag -> flag.startsWith("-XX:SharedArchiveFile=") ? "-XX:SharedArchiveFile=" + archive : flag)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String url, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The process's stderr (its log), as written so far. */
    private static final class Log {
        private final Path file;

        Log(Path file) {
            this.file = file;
        }

        String text() {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = pattern.matcher(text());
                if (m.find()) {
                    return m;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("No '" + pattern + "' in the log within " + timeout + ":\n" + text());
        }
    }
}
