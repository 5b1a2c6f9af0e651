package io.github.accounts.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The set-up the browser tests share: the demo mailing to an {@link Inbox}, served on a free loopback port
 * ({@link TestApp}), and one headless {@link Chromium} for it. Start it in {@code @BeforeAll} and close it in
 * {@code @AfterAll}; the class is skipped where Debian's Chromium is missing. Not thread-safe (one browser).
 */
final class BrowserDemo implements AutoCloseable {
    final Inbox inbox;
    final TestApp app;
    final Chromium chromium;
    /** Where the browser opened the page: {@code app.base}, or {@code http://localhost:<port>} (see atLocalhost). */
    final String home;

    private BrowserDemo(Inbox inbox, TestApp app, Chromium chromium, String home) {
        this.inbox = inbox;
        this.app = app;
        this.chromium = chromium;
        this.home = home;
    }

    /** The demo in the testing environment, its browser's profile in {@code profile}. */
    static BrowserDemo start(Path profile) {
        return start(profile, Map.of());
    }

    /** The same with more settings ({@code variables}: environment variables, as {@link TestApp} takes them). */
    static BrowserDemo start(Path profile, Map<String, String> variables) {
        return start(profile, variables, null);
    }

    /**
     * The demo on a loopback port of its own, with {@code PUBLIC_URL} {@code http://localhost:<port>} and the page
     * opened there: the address its mailed links and its providers' redirect URI name, and a host name a passkey's
     * relying party may have (an IP address may not). The page's cookies then belong to the host those links return
     * to.
     */
    static BrowserDemo atLocalhost(Path profile, Map<String, String> variables) {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(profile, variables, port);
    }

    private static BrowserDemo start(Path profile, Map<String, String> variables, Integer port) {
        Chromium.assumeInstalled();
        Inbox inbox = new Inbox();
        TestApp app = null;
        try {
            Map<String, String> all = new HashMap<>(inbox.mailUrl());
            all.putAll(variables);
            if (port != null) {
                all.put("PORT", port.toString());
                all.put("PUBLIC_URL", "http://localhost:" + port);
            }
            app = new TestApp(all);
            String home = port == null ? app.base : "http://localhost:" + port;
            return new BrowserDemo(inbox, app, Chromium.start(home, profile), home);
        } catch (RuntimeException | Error e) {
            if (app != null) {
                app.close();
            }
            inbox.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try (inbox; app) {
            chromium.close();
        }
    }
}
