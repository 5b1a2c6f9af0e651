package io.github.accounts.core.metrics;

import io.github.accounts.core.Accounts;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.config.AccountsConfig;
import io.github.accounts.core.session.IssuedSession;
import io.github.accounts.core.session.SignedIn;
import io.github.accounts.core.testing.TestAccounts;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.user.NewUser;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Micrometer is optional: a host without it on its class path signs up, signs in, refreshes and purges. */
class WithoutMicrometerTest {

    @Test
    void accountsRunsWithoutMicrometerOnTheClassPath() throws Exception {
        // DriverManager finds its drivers once, through the context loader of its first caller: not the one below.
        DriverManager.getDrivers();
        try (URLClassLoader withoutMicrometer = new URLClassLoader(classPathWithout("micrometer"),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> withoutMicrometer.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            Thread thread = Thread.currentThread();
            ClassLoader own = thread.getContextClassLoader();
            thread.setContextClassLoader(withoutMicrometer); // Hibernate looks for its services there
            try {
                @SuppressWarnings("unchecked")
                Callable<String> host = (Callable<String>) withoutMicrometer.loadClass(Host.class.getName())
                        .getDeclaredConstructor().newInstance();
                assertThat(host.call()).isEqualTo("signed up, signed in, refreshed and purged");
            } finally {
                thread.setContextClassLoader(own);
            }
        }
    }

    @Test
    void noClassOutsideTheMetricsPackageNamesMicrometerButTheBuilder() throws IOException {
        Path main = Path.of("src/main/java/io/github/accounts/core");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> users = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(main.resolve("metrics")))
                    .filter(f -> read(f).contains("io.micrometer"))
                    .map(f -> main.relativize(f).toString()).toList();
            assertThat(users).containsExactly("AccountsBuilder.java"); // meterRegistry's parameter
        }
    }

    /** What a host without Micrometer does, run in a class loader that cannot see it. */
    public static final class Host implements Callable<String> {
        @Override
        public String call() throws ClassNotFoundException {
            Class.forName("org.h2.Driver"); // registers this loader's driver with DriverManager
            DataSource dataSource = TestDatabase.H2.freshMigratedDataSource();
            try (Accounts accounts = Accounts.builder(dataSource).throttleSecret(TestAccounts.THROTTLE_SECRET).housekeeping(false)
                    .config(AccountsConfig.originalDesign().withHashing(TestAccounts.CHEAP_HASHING)).build()) {
                SignedIn alice = accounts.signIns().signUp(new NewUser("alice@example.com", "Alice", "Liddell",
                        "a long and unusual passphrase"), ClientInfo.unknown());
                accounts.signIns().signIn("alice@example.com", "a long and unusual passphrase", ClientInfo.unknown());
                IssuedSession next = accounts.sessions().refresh(alice.session().updateToken());
                accounts.sessions().authenticate(next.sessionToken());
                accounts.purgeExpired();
                return "signed up, signed in, refreshed and purged";
            }
        }
    }

    private static URL[] classPathWithout(String excluded) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.contains(excluded))
                .map(WithoutMicrometerTest::url).toArray(URL[]::new);
    }

    private static URL url(String path) {
        try {
            return new File(path).toURI().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(path, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
