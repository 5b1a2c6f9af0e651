package io.github.accounts.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * demo-app's {@link Main} in a JVM of its own, as a shell starts it, failing to start: everything it writes to
 * stderr is the one line naming the cause (no stack trace, no log lines of the libraries), and its exit code is the
 * one docs/demo.md's "Exit codes" gives.
 */
class StartUpFailureTest {
    private static final List<String> SETTINGS = List.of("APP_SETTINGS", "DATABASE_URL", "HOST", "PORT",
            "ACCOUNTS_PROFILE", "DATABASE_POOL_SIZE", "TRUSTED_PROXIES", "ALLOWED_ORIGINS", "SECRET_KEY", "PUBLIC_URL",
            "INSECURE_COOKIES", "MAIL_URL", "MAIL_FROM", "MANAGEMENT_PORT", "ADMIN_EMAILS");

    @TempDir
    Path dir;

    @Test
    void aPortInUseIsOneLineNamingItAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Run run = serve(Map.of("APP_SETTINGS", "testing", "HOST", "127.0.0.1", "PORT", Integer.toString(port)));

            assertThat(run.exit()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("error: Cannot listen on 127.0.0.1:" + port + ": the port is already in"
                    + " use (PORT)\n");
        }
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingItAndExitOne() throws Exception {
        Run run = serve(Map.of("APP_SETTINGS", "staging", "DATABASE_URL", "postgresql://app:s3cret@127.0.0.1:1/accounts",
                "HOST", "127.0.0.1", "PORT", "0", "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:"));

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).startsWith("error: Cannot reach the database (PostgreSQL at 127.0.0.1:1/accounts): ")
                .hasLineCount(1).endsWith("\n").doesNotContain("s3cret");
    }

    /** What one {@code serve} printed on stderr, and its exit code. */
    private record Run(int exit, String err) {
    }

    private Run serve(Map<String, String> variables) throws Exception {
        Path err = dir.resolve("stderr.txt");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Main.class.getName(), "serve").directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(err.toFile());
        command.environment().keySet().removeAll(SETTINGS);
        command.environment().putAll(variables);
        Process p = command.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("serve did not stop within two minutes: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(err));
    }
}
