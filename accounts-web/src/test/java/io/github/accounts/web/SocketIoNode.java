package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One connection of the official Socket.IO client ({@code socket.io-client} 4.x from npm, run by Node): the options
 * as the client takes them, and what it sees, line by line. The client is installed once per build from the
 * project's own {@code src/test/socketio} ({@code npm ci} into {@code target/}).
 */
final class SocketIoNode implements AutoCloseable {
    private static final Path SOURCES = Path.of("src", "test", "socketio");
    private static final Path INSTALLED = Path.of("target", "socketio-client");
    /** Generous: a first {@code npm ci} may download, a loaded machine may be slow. Never a speed goal. */
    private static final long WAIT_SECONDS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BlockingQueue<JsonNode> seen = new LinkedBlockingQueue<>();
    private final StringBuilder errors = new StringBuilder();

    private SocketIoNode(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "socketio-node-reader");
        reader.setDaemon(true);
        reader.start();
        Thread errorReader = new Thread(this::readErrors, "socketio-node-errors");
        errorReader.setDaemon(true);
        errorReader.start();
    }

    /** Starts a client on {@code options} ({@code url}, {@code path}, {@code auth}, {@code transports}, ...). */
    static SocketIoNode connect(Map<String, Object> options) {
        install();
        try {
            Process process = new ProcessBuilder("node", "client.js", JSON.writeValueAsString(options))
                    .directory(INSTALLED.toFile()).start();
            return new SocketIoNode(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs the client from the project's package files, once per build directory. */
    static synchronized void install() {
        try {
            Files.createDirectories(INSTALLED);
            boolean same = true;
            for (String file : List.of("package.json", "package-lock.json", "client.js")) {
                Path target = INSTALLED.resolve(file);
                byte[] source = Files.readAllBytes(SOURCES.resolve(file));
                if (!Files.exists(target) || !java.util.Arrays.equals(source, Files.readAllBytes(target))) {
                    same = false;
                    Files.copy(SOURCES.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (same && Files.isDirectory(INSTALLED.resolve("node_modules").resolve("socket.io-client"))) {
                return;
            }
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALLED.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                fail("npm ci of the Socket.IO client failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                seen.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void readErrors() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (errors) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The next thing the client saw. */
    JsonNode next() {
        try {
            JsonNode line = seen.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                synchronized (errors) {
                    fail("The Socket.IO client saw nothing more; its errors:\n" + errors);
                }
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next thing the client saw within {@code millis}, or null. */
    JsonNode poll(long millis) {
        try {
            return seen.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next thing the client saw, which must be {@code on}. */
    JsonNode next(String on) {
        JsonNode line = next();
        assertThat(line.path("on").asText()).as(line.toString()).isEqualTo(on);
        return line;
    }

    /** Skips what comes before the first {@code on}, and returns it; what was skipped is in {@code skipped}. */
    JsonNode until(String on, List<JsonNode> skipped) {
        for (JsonNode line = next(); ; line = next()) {
            if (line.path("on").asText().equals(on)) {
                return line;
            }
            skipped.add(line);
        }
    }

    /** The next account event of {@code type}, skipping others. */
    JsonNode nextEvent(String type) {
        List<JsonNode> skipped = new ArrayList<>();
        while (true) {
            JsonNode line = until("event", skipped);
            if (line.at("/data/type").asText().equals(type)) {
                return line.path("data");
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
