package io.github.accounts.demo;

import io.github.accounts.core.HostSecret;
import io.github.accounts.core.config.ReauthenticationWindows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    @Test
    void developmentIsTheDefaultWithAnH2FileUnderDataAndPort5000() {
        Settings s = Settings.from(Map.of());
        assertThat(s.environment()).isEqualTo(Environment.DEVELOPMENT);
        assertThat(s.database().jdbcUrl()).startsWith("jdbc:h2:file:./data/accounts");
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(5000);
        assertThat(s.accountsProfile()).isEqualTo("original-design");
        assertThat(s.poolSize()).isEqualTo(2 * Runtime.getRuntime().availableProcessors() + 1);
        assertThat(s.environment().migratesOnStart()).isTrue();
        assertThat(s.environment().logsMailBodies()).isTrue();
    }

    @Test
    void testingUsesAFreshH2InMemoryEachTime() {
        Settings a = Settings.from(Map.of("APP_SETTINGS", "testing"));
        Settings b = Settings.from(Map.of("APP_SETTINGS", "testing"));
        assertThat(a.database().jdbcUrl()).startsWith("jdbc:h2:mem:");
        assertThat(a.database().jdbcUrl()).isNotEqualTo(b.database().jdbcUrl());
        assertThat(a.environment().migratesOnStart()).isTrue();
    }

    @Test
    void stagingAndProductionNeedDatabaseUrlAndNeverMigrateByThemselves() {
        for (String name : new String[] {"staging", "production"}) {
            assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", name)))
                    .isInstanceOf(Failure.class)
                    .hasMessage("DATABASE_URL is required when APP_SETTINGS=" + name
                            + " (e.g. DATABASE_URL=postgresql://user:password@host:5432/accounts)");
            Settings s = Settings.from(Map.of("APP_SETTINGS", name, "DATABASE_URL", "postgresql://u:p@db/app",
                    "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:"));
            assertThat(s.environment().migratesOnStart()).isFalse();
        }
        assertThat(Environment.PRODUCTION.logsMailBodies()).isFalse();
    }

    @Test
    void everyVariableIsRead() {
        Map<String, String> all = new java.util.HashMap<>(Map.of("APP_SETTINGS", "Production",
                "DATABASE_URL", "postgres://u:p@db/app", "HOST", "127.0.0.1", "PORT", "8080",
                "ACCOUNTS_PROFILE", "asvs-level-2", "DATABASE_POOL_SIZE", "7",
                "TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2", "ALLOWED_ORIGINS", "https://app.example.com",
                "SECRET_KEY", TestApp.SECRET_KEY, "PUBLIC_URL", "https://accounts.example.com"));
        all.putAll(Map.of("MAIL_URL", "smtp://mailer:p%40ss@mail.example.com", "MAIL_FROM", "accounts@example.com"));
        Settings s = Settings.from(all);
        assertThat(s.environment()).isEqualTo(Environment.PRODUCTION);
        assertThat(s.database().description()).isEqualTo("PostgreSQL at db:5432/app");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.accountsProfile()).isEqualTo("asvs-level-2");
        assertThat(s.poolSize()).isEqualTo(7);
        assertThat(s.trustedProxies()).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
        assertThat(s.allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(s.secretKey().derive("x")).isEqualTo(SecretKey.decode(TestApp.SECRET_KEY).derive("x"));
        assertThat(s.publicUrl()).contains(URI.create("https://accounts.example.com"));
        assertThat(s.insecureCookies()).isFalse();
        assertThat(s.mail().description())
                .isEqualTo("SMTP (STARTTLS) at mail.example.com:587 as mailer, from accounts@example.com");
    }

    @Test
    void theReauthenticationWindowsAreSecondsWithTheContractsDefaults() {
        assertThat(Settings.from(Map.of()).reauthentication()).isEqualTo(ReauthenticationWindows.defaults());
        Settings s = Settings.from(Map.of("REAUTH_WINDOW_SECONDS", "120", "SIGN_IN_WINDOW_SECONDS", "900"));
        assertThat(s.reauthentication()).isEqualTo(new ReauthenticationWindows(Duration.ofMinutes(2),
                Duration.ofMinutes(15)));
        assertThatThrownBy(() -> Settings.from(Map.of("REAUTH_WINDOW_SECONDS", "5 min"))).isInstanceOf(Failure.class)
                .hasMessage("REAUTH_WINDOW_SECONDS must be a whole number from 1 to 86400, not '5 min'");
        assertThatThrownBy(() -> Settings.from(Map.of("SIGN_IN_WINDOW_SECONDS", "0"))).isInstanceOf(Failure.class)
                .hasMessageStartingWith("SIGN_IN_WINDOW_SECONDS must be");
    }

    @Test
    void stagingAndProductionNeedSecretKeyAndStopAtOnceNamingIt() {
        for (String name : new String[] {"staging", "production"}) {
            assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", name, "DATABASE_URL", "postgresql://u:p@db/app")))
                    .isInstanceOf(Failure.class)
                    .hasMessage("SECRET_KEY is required when APP_SETTINGS=" + name
                            + " (at least 32 random bytes as hex or base64, e.g. openssl rand -hex 32)");
        }
    }

    @Test
    void previousSecretKeysAreCommaSeparatedAndOptional() {
        String other = "ab".repeat(32);
        Settings rotated = Settings.from(Map.of("APP_SETTINGS", "testing", "SECRET_KEY", TestApp.SECRET_KEY,
                "SECRET_KEY_PREVIOUS", " " + other + " , " + TestApp.SECRET_KEY + ","));
        assertThat(rotated.previousSecretKeys()).extracting(k -> k.derive(HostSecret.TOTP)).containsExactlyInAnyOrder(
                SecretKey.decode(other).derive(HostSecret.TOTP), SecretKey.decode(TestApp.SECRET_KEY).derive(HostSecret.TOTP));
        assertThat(Settings.from(Map.of("APP_SETTINGS", "testing")).previousSecretKeys()).isEmpty();
        assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", "testing", "SECRET_KEY_PREVIOUS", "short")))
                .isInstanceOf(Failure.class).hasMessageStartingWith("SECRET_KEY must be").hasMessageNotContaining("short");
        assertThat(SecretKey.decode(other).derive(HostSecret.TOTP)).isNotEqualTo(SecretKey.decode(other)
                .derive(HostSecret.CSRF));
    }

    @Test
    void testingMakesANewKeyEachStart() {
        Settings a = Settings.from(Map.of("APP_SETTINGS", "testing"));
        Settings b = Settings.from(Map.of("APP_SETTINGS", "testing"));
        assertThat(a.secretKey().derive(HostSecret.CSRF)).hasSize(32).isNotEqualTo(b.secretKey().derive(HostSecret.CSRF))
                .isEqualTo(a.secretKey().derive(HostSecret.CSRF));
        Settings given = Settings.from(Map.of("APP_SETTINGS", "testing", "SECRET_KEY", TestApp.SECRET_KEY));
        assertThat(given.secretKey().derive("x")).isEqualTo(SecretKey.decode(TestApp.SECRET_KEY).derive("x"));
    }

    @Test
    void developmentKeepsItsKeyInDataSecretKeyMadeOnceOwnerOnlyWithAWarningNamingTheFile(@TempDir Path dir)
            throws IOException {
        assertThat(Settings.DEVELOPMENT_KEY_FILE).isEqualTo(Path.of("data", "secret.key"));
        assertThat(Settings.from(Map.of()).secretKey()).hasToString("SecretKey[kept in data" + File.separator
                + "secret.key]");
        Path file = dir.resolve("data/secret.key");
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        byte[] first;
        byte[] again;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            first = SecretKey.keptIn(file).derive(HostSecret.CSRF);
            again = SecretKey.keptIn(file).derive(HostSecret.CSRF); // the next start
        } finally {
            System.setErr(stderr);
        }
        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(file)).matches("[0-9a-f]{64}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).containsExactly(file);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("WARN SecretKey - SECRET_KEY is not set: using the "
                + "development key kept in " + file.toAbsolutePath());
        assertThat(SecretKey.decode(Files.readString(file)).derive(HostSecret.CSRF)).isEqualTo(first);
    }

    @Test
    void aSecretKeyIsHexFrom64CharactersElseBase64AndAtLeast32Bytes() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 250);
        }
        byte[] expected = SecretKey.decode(HexFormat.of().formatHex(bytes)).derive("p");
        assertThat(SecretKey.decode(HexFormat.of().withUpperCase().formatHex(bytes)).derive("p")).isEqualTo(expected);
        assertThat(SecretKey.decode(Base64.getEncoder().encodeToString(bytes)).derive("p")).isEqualTo(expected);
        assertThat(SecretKey.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).derive("p"))
                .isEqualTo(expected);
        assertThat(Base64.getEncoder().encodeToString(bytes)).containsAnyOf("+", "/");
        assertThat(Base64.getUrlEncoder().encodeToString(bytes)).containsAnyOf("-", "_");
        assertThat(SecretKey.decode(HexFormat.of().formatHex(bytes)).derive("q")).isNotEqualTo(expected);

        String short31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> Settings.from(Map.of("SECRET_KEY", short31))).isInstanceOf(Failure.class)
                .hasMessageStartingWith("SECRET_KEY must be at least 32 random bytes").hasMessageEndingWith("(it decodes to 31 bytes)")
                .hasMessageNotContaining(short31);
        assertThatThrownBy(() -> Settings.from(Map.of("SECRET_KEY", "not a key, just words"))).isInstanceOf(Failure.class)
                .hasMessageStartingWith("SECRET_KEY must be").hasMessageNotContaining("just words");
        assertThatThrownBy(() -> Settings.from(Map.of("SECRET_KEY", "a".repeat(65)))).hasMessageEndingWith("(it is neither)");
    }

    @Test
    void publicUrlIsOptionalAndMustBeAnHttpOrHttpsUrl() {
        assertThat(Settings.from(Map.of()).publicUrl()).isEmpty();
        assertThat(Settings.from(Map.of("PUBLIC_URL", "http://localhost:5000")).publicUrl())
                .contains(URI.create("http://localhost:5000"));
        assertThatThrownBy(() -> Settings.from(Map.of("PUBLIC_URL", "ftp://files.example.com")))
                .hasMessageStartingWith("PUBLIC_URL must be the http:// or https:// URL");
        assertThatThrownBy(() -> Settings.from(Map.of("PUBLIC_URL", "accounts.example.com")))
                .hasMessageStartingWith("PUBLIC_URL must be");
    }

    @Test
    void webhooksMayReachPrivateNetworksInDevelopmentAndTestingOnly() {
        assertThat(Settings.from(Map.of()).webhooksAllowPrivate()).isFalse();
        for (String name : new String[] {"development", "testing"}) {
            assertThat(Settings.from(Map.of("APP_SETTINGS", name, "WEBHOOKS_ALLOW_PRIVATE", "true"))
                    .webhooksAllowPrivate()).isTrue();
        }
        for (String name : new String[] {"staging", "production"}) {
            Map<String, String> allowing = new java.util.HashMap<>(Map.of("APP_SETTINGS", name, "DATABASE_URL",
                    "postgresql://u:p@db/app", "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:"));
            allowing.put("WEBHOOKS_ALLOW_PRIVATE", "true");
            assertThatThrownBy(() -> Settings.from(allowing)).isInstanceOf(Failure.class)
                    .hasMessage("WEBHOOKS_ALLOW_PRIVATE=true is refused when APP_SETTINGS=" + name
                            + ": webhooks there go to public https: URLs only");
        }
        assertThatThrownBy(() -> Settings.from(Map.of("WEBHOOKS_ALLOW_PRIVATE", "1")))
                .hasMessage("WEBHOOKS_ALLOW_PRIVATE must be true or false, not '1'");
    }

    @Test
    void insecureCookiesAreAcceptedInDevelopmentAndTestingOnlyAndNeededForPlainHttpBeyondLoopback() {
        for (String name : new String[] {"development", "testing"}) {
            assertThat(Settings.from(Map.of("APP_SETTINGS", name, "INSECURE_COOKIES", "true")).insecureCookies()).isTrue();
            assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", name, "PUBLIC_URL", "http://192.168.1.20:5000")))
                    .isInstanceOf(Failure.class).hasMessage("PUBLIC_URL http://192.168.1.20:5000 is plain HTTP beyond "
                            + "localhost, where browsers drop the session cookies (they are Secure): serve HTTPS, or set "
                            + "INSECURE_COOKIES=true (development and testing only)");
            assertThat(Settings.from(Map.of("APP_SETTINGS", name, "PUBLIC_URL", "http://192.168.1.20:5000",
                    "INSECURE_COOKIES", "true")).insecureCookies()).isTrue();
            for (String loopback : new String[] {"http://localhost:5000", "http://127.0.0.1:5000", "http://[::1]:5000",
                    "http://app.localhost"}) {
                assertThat(Settings.from(Map.of("APP_SETTINGS", name, "PUBLIC_URL", loopback)).insecureCookies()).isFalse();
            }
        }
        for (String name : new String[] {"staging", "production"}) {
            Map<String, String> base = Map.of("APP_SETTINGS", name, "DATABASE_URL", "postgresql://u:p@db/app",
                    "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:");
            Map<String, String> insecure = new java.util.HashMap<>(base);
            insecure.put("INSECURE_COOKIES", "true");
            assertThatThrownBy(() -> Settings.from(insecure)).isInstanceOf(Failure.class)
                    .hasMessage("INSECURE_COOKIES=true is refused when APP_SETTINGS=" + name
                            + ": serve HTTPS (behind a proxy, set PUBLIC_URL=https://...)");
            Map<String, String> plain = new java.util.HashMap<>(base);
            plain.put("PUBLIC_URL", "http://accounts.example.com");
            assertThatThrownBy(() -> Settings.from(plain)).hasMessageStartingWith("PUBLIC_URL http://accounts.example.com is "
                    + "plain HTTP").hasMessageEndingWith("serve HTTPS");
        }
        assertThatThrownBy(() -> Settings.from(Map.of("INSECURE_COOKIES", "yes")))
                .hasMessage("INSECURE_COOKIES must be true or false, not 'yes'");
    }

    @Test
    void badValuesStopStartUpNamingTheVariable() {
        assertThatThrownBy(() -> Settings.from(Map.of("APP_SETTINGS", "prod")))
                .hasMessage("APP_SETTINGS must be development, testing, staging or production, not 'prod'");
        assertThatThrownBy(() -> Settings.from(Map.of("PORT", "80a")))
                .hasMessage("PORT must be a whole number from 0 to 65535, not '80a'");
        assertThatThrownBy(() -> Settings.from(Map.of("PORT", "70000"))).hasMessageStartingWith("PORT must be");
        assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_POOL_SIZE", "0")))
                .hasMessageStartingWith("DATABASE_POOL_SIZE must be");
        assertThatThrownBy(() -> Settings.from(Map.of("ACCOUNTS_PROFILE", "lax")))
                .hasMessage("ACCOUNTS_PROFILE must be original-design or asvs-level-2, not 'lax'");
        assertThatThrownBy(() -> Settings.from(Map.of("DATABASE_URL", "sqlite:///x.db")))
                .hasMessageStartingWith("DATABASE_URL must look like");
    }

    @Test
    void dotEnvIsReadAndRealEnvironmentVariablesWinOverIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), """
                # a comment
                APP_SETTINGS=testing
                PORT=6000
                ACCOUNTS_PROFILE="asvs-level-2"
                """);
        Map<String, String> variables = Settings.variables(dir, Map.of("PORT", "7000"));
        Settings s = Settings.from(variables);
        assertThat(s.environment()).isEqualTo(Environment.TESTING);
        assertThat(s.accountsProfile()).isEqualTo("asvs-level-2");
        assertThat(s.port()).isEqualTo(7000);
    }

    @Test
    void noDotEnvMeansJustTheEnvironment(@TempDir Path dir) {
        assertThat(Settings.variables(dir, Map.of("PORT", "7000"))).containsExactly(Map.entry("PORT", "7000"));
    }

    @Test
    void aMalformedDotEnvStopsStartUp(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".env"), "PORT=6000\nDATABASE_URL postgresql://app:s3cret@db/app\n");
        assertThatThrownBy(() -> Settings.variables(dir, Map.of()))
                .isInstanceOf(Failure.class).hasMessageContaining(".env file").hasMessageContaining("malformed line")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void mailGoesToTheLogWithoutMailUrlInDevelopmentAndTestingAndMailUrlIsRequiredInStagingAndProduction() {
        assertThat(Settings.from(Map.of()).mail()).isEqualTo(MailUrl.LOG);
        assertThat(Settings.from(Map.of("APP_SETTINGS", "testing")).mail()).isEqualTo(MailUrl.LOG);
        for (String name : new String[] {"staging", "production"}) {
            Map<String, String> base = Map.of("APP_SETTINGS", name, "DATABASE_URL", "postgresql://u:p@db/app",
                    "SECRET_KEY", TestApp.SECRET_KEY);
            assertThatThrownBy(() -> Settings.from(base)).isInstanceOf(Failure.class)
                    .hasMessage("MAIL_URL is required when APP_SETTINGS=" + name + ": "
                            + "smtp://user:password@host:587?starttls=true, smtps://user:password@host:465, "
                            + "or log: for no real mail");
            Map<String, String> log = new java.util.HashMap<>(base);
            log.put("MAIL_URL", "log:");
            assertThat(Settings.from(log).mail()).isEqualTo(MailUrl.LOG);
        }
    }

    @Test
    void mailUrlNamesTheServerTheSecurityAndTheLogin() {
        MailUrl starttls = mail("smtp://mailer:pa%3Ass+word@mail.example.com:2525?starttls=true&timeout=9");
        var smtp = starttls.smtp().orElseThrow();
        assertThat(smtp.host()).isEqualTo("mail.example.com");
        assertThat(smtp.port()).isEqualTo(2525);
        assertThat(smtp.security()).isEqualTo(io.github.accounts.mail.smtp.SmtpSettings.Security.STARTTLS);
        assertThat(smtp.username()).isEqualTo("mailer");
        assertThat(smtp.password()).isEqualTo("pa:ss+word");
        assertThat(smtp.timeout()).hasSeconds(9);
        assertThat(smtp.from().getAddress()).isEqualTo("accounts@example.com");
        assertThat(starttls.toString()).doesNotContain("pa:ss").doesNotContain("pa%3A");

        assertThat(mail("smtp://mail.example.com").smtp().orElseThrow().security())
                .isEqualTo(io.github.accounts.mail.smtp.SmtpSettings.Security.STARTTLS);
        assertThat(mail("smtp://mail.example.com").smtp().orElseThrow().port()).isEqualTo(587);
        assertThat(mail("smtp://localhost:25?starttls=false").smtp().orElseThrow().security())
                .isEqualTo(io.github.accounts.mail.smtp.SmtpSettings.Security.NONE);
        var smtps = mail("smtps://u:p@mail.example.com").smtp().orElseThrow();
        assertThat(smtps.security()).isEqualTo(io.github.accounts.mail.smtp.SmtpSettings.Security.TLS);
        assertThat(smtps.port()).isEqualTo(465);
        assertThat(smtps.timeout()).hasSeconds(5);
    }

    @Test
    void badMailUrlsStopStartUpReadablyWithoutRepeatingThePassword() {
        String shape = "MAIL_URL must look like smtp://user:password@host:587?starttls=true, "
                + "smtps://user:password@host:465, or log:";
        for (String bad : new String[] {"mail.example.com", "http://u:s3cret@mail.example.com", "smtp://",
                "smtp://u:s3cret@mail.example.com/path", "smtp://u:s3cret@exa mple.com", "log"}) {
            assertThatThrownBy(() -> mail(bad)).as(bad).isInstanceOf(Failure.class).hasMessage(shape);
        }
        assertThatThrownBy(() -> mail("smtp://u:s3cret@mail.example.com?starttls=yes"))
                .hasMessage("MAIL_URL: starttls must be true or false");
        assertThatThrownBy(() -> mail("smtp://u:s3cret@mail.example.com?tls=true"))
                .hasMessage("MAIL_URL takes the parameters starttls=true|false and timeout=<seconds> only");
        assertThatThrownBy(() -> mail("smtps://u:s3cret@mail.example.com?starttls=true"))
                .hasMessage("MAIL_URL: smtps:// is TLS from the start; starttls applies to smtp:// only");
        assertThatThrownBy(() -> mail("smtp://u:s3cret@mail.example.com?timeout=0"))
                .hasMessage("MAIL_URL: timeout must be whole seconds from 1 to 300");
        assertThatThrownBy(() -> mail("smtp://u:s3cret@mail.example.com?starttls=false"))
                .hasMessage("MAIL_URL: starttls=false would send mail in clear text beyond this host; use "
                        + "starttls=true or smtps:// (a plain relay only on localhost)");
        assertThatThrownBy(() -> mail("smtp://mail.example.com?starttls=false"))
                .hasMessage("MAIL_URL: starttls=false would send mail in clear text beyond this host; use "
                        + "starttls=true or smtps:// (a plain relay only on localhost)");
        assertThatThrownBy(() -> mail("smtp://s3cret@mail.example.com"))
                .hasMessage("MAIL_URL: give both user and password (user:password@host), or neither");
        assertThatThrownBy(() -> Settings.from(Map.of("MAIL_URL", "smtp://u:s3cret@mail.example.com")))
                .hasMessageStartingWith("MAIL_FROM is required with an SMTP MAIL_URL");
        assertThatThrownBy(() -> Settings.from(Map.of("MAIL_URL", "smtp://u:s3cret@mail.example.com",
                "MAIL_FROM", "not an address"))).hasMessageStartingWith("MAIL_FROM must be one email address");
    }

    private static MailUrl mail(String url) {
        return Settings.from(Map.of("MAIL_URL", url, "MAIL_FROM", "Accounts <accounts@example.com>")).mail();
    }
}
