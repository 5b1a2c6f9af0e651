package io.github.accounts.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's answers that need no database: usage, and one-line reasons for what cannot work. */
class MainTest {
    @TempDir
    Path workingDir;

    @Test
    void helpPrintsUsageAndEveryVariable() {
        Cli.Result help = Cli.run(workingDir, Map.of(), "help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: java -jar demo-app.jar [command]").contains("db downgrade [N]",
                "APP_SETTINGS", "DATABASE_URL", "HOST, PORT", "ACCOUNTS_PROFILE", "DATABASE_POOL_SIZE",
                "TRUSTED_PROXIES", "ALLOWED_ORIGINS", "SECRET_KEY", "PUBLIC_URL", "INSECURE_COOKIES", "MAIL_URL",
                "MAIL_FROM");
    }

    @Test
    void anUnknownCommandExitsTwoWithAReasonAndUsage() {
        Cli.Result r = Cli.run(workingDir, Map.of(), "start");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Unknown command 'start'\n\nUsage:");
        assertThat(Cli.run(workingDir, Map.of(), "db").err()).startsWith("error: Unknown command 'db'");
    }

    @Test
    void aBadDatabaseUrlExitsTwoWithOneLine() {
        Cli.Result r = Cli.run(workingDir, Map.of("DATABASE_URL", "mysql://app:s3cret@db/app"), "db", "status");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: DATABASE_URL must look like").hasLineCount(1).doesNotContain("s3cret");
    }

    @Test
    void anUnreachableDatabaseExitsOneWithOneLineNamingItButNotThePassword() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://app:s3cret@127.0.0.1:1/accounts");
        for (String[] command : new String[][] {{"db", "status"}, {"db", "upgrade"}, {"serve"}}) {
            Cli.Result r = Cli.run(workingDir, env, command);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: Cannot reach the database (PostgreSQL at 127.0.0.1:1/accounts)")
                    .hasLineCount(1).doesNotContain("s3cret");
        }
    }

    @Test
    void productionWithoutDatabaseUrlStopsAtOnceNamingIt() {
        Cli.Result r = Cli.run(workingDir, Map.of("APP_SETTINGS", "production"), "serve");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: DATABASE_URL is required when APP_SETTINGS=production "
                + "(e.g. DATABASE_URL=postgresql://user:password@host:5432/accounts)\n");
    }

    @Test
    void aPortInUseExitsOneNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            Cli.Result r = Cli.run(workingDir, Map.of("APP_SETTINGS", "testing", "HOST", "127.0.0.1", "PORT", port),
                    "serve");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: Cannot listen on 127.0.0.1:" + port + ": ").hasLineCount(1);
        }
    }

    @Test
    void aDotEnvInTheWorkingDirectoryIsRead(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve(".env"), "DATABASE_URL=jdbc:h2:mem:dotenv-test;DB_CLOSE_DELAY=-1\n");
        Cli.Result r = Cli.run(dir, Map.of(), "db", "status");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("H2 in memory (dotenv-test)");
    }

    @Test
    void aSchemaThatDriftedFromTheMappingStopsStartUpWithOneLineNamingTheColumn() throws Exception {
        String url = "jdbc:h2:file:" + workingDir.resolve("drifted").toAbsolutePath();
        Map<String, String> env = Map.of("APP_SETTINGS", "staging", "DATABASE_URL", url, "HOST", "127.0.0.1", "PORT", "0",
                "SECRET_KEY", TestApp.SECRET_KEY, "MAIL_URL", "log:");
        assertThat(Cli.run(workingDir, env, "db", "upgrade").exit()).isZero();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.Statement st = c.createStatement()) {
            st.execute("alter table users drop column fname");
        }

        Cli.Result r = Cli.run(workingDir, env, "serve");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: The database schema does not match what accounts maps")
                .containsIgnoringCase("fname").hasLineCount(1);
    }
}
