package io.github.accounts.demo;

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

    private BrowserDemo(Inbox inbox, TestApp app, Chromium chromium) {
        this.inbox = inbox;
        this.app = app;
        this.chromium = chromium;
    }

    /** The demo in the testing environment, its browser's profile in {@code profile}. */
    static BrowserDemo start(Path profile) {
        return start(profile, Map.of());
    }

    /** The same with more settings ({@code variables}: environment variables, as {@link TestApp} takes them). */
    static BrowserDemo start(Path profile, Map<String, String> variables) {
        Chromium.assumeInstalled();
        Inbox inbox = new Inbox();
        TestApp app = null;
        try {
            Map<String, String> all = new HashMap<>(inbox.mailUrl());
            all.putAll(variables);
            app = new TestApp(all);
            return new BrowserDemo(inbox, app, Chromium.start(app.base, profile));
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
