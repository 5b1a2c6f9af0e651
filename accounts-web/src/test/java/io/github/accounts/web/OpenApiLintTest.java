package io.github.accounts.web;

import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Lints the OpenAPI document as served with Spectral ({@code spectral:oas}, all its rules, and two of ours in
 * {@code src/test/lint/.spectral.json}: every operation states its security, every response object its
 * required fields), pinned by {@code src/test/lint/package-lock.json}; any warning fails. {@code contact-properties}
 * and {@code license-url} are off: the project publishes no contact address and has chosen no license yet.
 * Needs {@code npm} (and the npm registry on first run); skipped with a message without it, as {@code .ci/run}
 * installs Debian's.
 */
class OpenApiLintTest {
    private static final Path PINNED = Path.of("src/test/lint");
    private static final Path WORK = Path.of("target/openapi-lint");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", ".spectral.json");

    @Test
    void theServedDocumentPassesSpectralWithoutAWarning() throws Exception {
        assumeTrue(onPath("npm"), "npm is not installed, so the OpenAPI lint is skipped (.ci/run installs nodejs and npm)");
        installLinter();
        try (TestAccounts fixture = new TestAccounts(TestDatabase.H2);
             TestServer server = new TestServer(http -> AccountsRoutes.builder(fixture.accounts).build()
                     .mount(http, "/accounts"))) {
            Files.writeString(WORK.resolve("openapi.json"), server.send("GET", "/accounts/openapi.json", null, null).body());
        }
        Run lint = run(WORK.resolve("node_modules/.bin/spectral").toAbsolutePath().toString(), "lint", "openapi.json",
                "--ruleset", ".spectral.json", "--fail-severity", "warn");
        assertThat(lint.exitCode()).as("Spectral says:\n" + lint.output()).isZero();
    }

    /** Copies the pinned files to target/ and runs {@code npm ci} there, unless that lock is installed already. */
    private static void installLinter() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        Path installed = WORK.resolve("package-lock.json");
        boolean current = Files.exists(WORK.resolve("node_modules/.bin/spectral")) && Files.exists(installed)
                && Files.mismatch(installed, PINNED.resolve("package-lock.json")) == -1;
        for (String file : FILES) {
            Files.copy(PINNED.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!current) {
            Run ci = run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
            assertThat(ci.exitCode()).as("npm ci failed:\n" + ci.output()).isZero();
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SCARF_ANALYTICS", "false"); // a dependency's install-time telemetry; --ignore-scripts skips it anyway
        env.put("npm_config_update_notifier", "false");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) { // a bound on a hang, not a speed goal
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
