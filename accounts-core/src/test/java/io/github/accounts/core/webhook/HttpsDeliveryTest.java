package io.github.accounts.core.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.github.accounts.core.ClientInfo;
import io.github.accounts.core.testing.OnEachDatabase;
import io.github.accounts.core.testing.TestDatabase;
import io.github.accounts.core.testing.TestUsers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries over real TLS to a receiver on a loopback port, its self-signed certificate made with keytool when the
 * class starts and trusted through {@link WebhookPolicy#withTls}: the sender connects to the address the URL check
 * approved (the name {@code hooks.test} resolves only through the test's resolver) yet sends that name as SNI and
 * verifies the certificate against it, so a certificate for another name, or one the trust does not cover, is
 * refused before any request, with the reason kept on the delivery.
 */
@OnEachDatabase
class HttpsDeliveryTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final HostResolver LOOPBACK = host -> List.of(InetAddress.getLoopbackAddress());
    @TempDir
    static Path dir;
    private static KeyStore forHooks;
    private static KeyStore forOther;

    @Parameter
    TestDatabase database;

    @BeforeAll
    static void makeCertificates() throws Exception {
        forHooks = selfSigned("hooks.test");
        forOther = selfSigned("other.test");
    }

    @Test
    void aReceiverWhoseCertificateNamesTheUrlsHostGetsTheDeliveryOverTls() throws Exception {
        try (TlsReceiver receiver = new TlsReceiver(forHooks);
             WebhookFixture f = new WebhookFixture(database, policy().withTls(trusting(forHooks, forOther)), false)) {
            CreatedWebhook hook = register(f, receiver);
            TestUsers.signUp(f.accounts, "over.tls");

            assertThat(f.accounts.webhooks().deliverDue()).isEqualTo(1);

            Delivery delivery = only(f, hook);
            assertThat(delivery.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(delivery.lastStatusCode()).isEqualTo(200);
            assertThat(delivery.lastError()).isNull();
            assertThat(receiver.serverNames).containsExactly("hooks.test");
            assertThat(receiver.hosts).containsExactly("hooks.test:" + receiver.port());
        }
    }

    @Test
    void aReceiverWhoseCertificateNamesAnotherHostIsRefusedAndTheReasonKept() throws Exception {
        try (TlsReceiver receiver = new TlsReceiver(forOther);
             WebhookFixture f = new WebhookFixture(database, policy().withTls(trusting(forHooks, forOther)), false)) {
            CreatedWebhook hook = register(f, receiver);
            TestUsers.signUp(f.accounts, "wrong.name");

            f.accounts.webhooks().deliverDue();

            Delivery delivery = only(f, hook);
            assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(delivery.attempts()).isEqualTo(1);
            assertThat(delivery.lastStatusCode()).isNull();
            assertThat(delivery.lastError()).startsWith("TLS with hooks.test failed: ")
                    .contains("No subject alternative DNS name matching hooks.test");
            assertThat(receiver.serverNames).as("the handshake began, with the URL's name").contains("hooks.test");
            assertThat(receiver.hosts).as("no request was sent").isEmpty();
        }
    }

    @Test
    void aReceiverTheTrustDoesNotCoverIsRefused() throws Exception {
        try (TlsReceiver receiver = new TlsReceiver(forHooks);
             WebhookFixture f = new WebhookFixture(database, policy(), false)) { // the JVM's own trust store
            CreatedWebhook hook = register(f, receiver);
            TestUsers.signUp(f.accounts, "untrusted");

            f.accounts.webhooks().deliverDue();

            Delivery delivery = only(f, hook);
            assertThat(delivery.lastStatusCode()).isNull();
            assertThat(delivery.lastError()).startsWith("TLS with hooks.test failed: ")
                    .contains("unable to find valid certification path");
            assertThat(receiver.hosts).isEmpty();
        }
    }

    /** Loopback receivers need the development policy; {@code https:} is checked all the same. */
    private static WebhookPolicy policy() {
        return WebhookPolicy.allowingPrivateNetworks().withResolver(LOOPBACK);
    }

    private static CreatedWebhook register(WebhookFixture f, TlsReceiver receiver) {
        return f.accounts.webhooks().create(f.operator(), "https://hooks.test:" + receiver.port() + "/hook",
                List.of("user.*"), null, ClientInfo.unknown());
    }

    private static Delivery only(WebhookFixture f, CreatedWebhook hook) {
        List<Delivery> all = f.accounts.webhooks().deliveries(hook.webhook().id(), null, 10).deliveries();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** A key pair and its self-signed certificate for {@code name} (also its DNS subject alternative name). */
    private static KeyStore selfSigned(String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=dns:" + name, "-validity", "2",
                "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A TLS context that trusts exactly these receivers' certificates. */
    private static SSLContext trusting(KeyStore... receivers) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (int i = 0; i < receivers.length; i++) {
            trusted.setCertificateEntry("receiver-" + i, receivers[i].getCertificate("receiver"));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** An HTTPS receiver (the JDK's server) presenting {@code identity}; keeps each SNI name and Host header seen. */
    private static final class TlsReceiver implements AutoCloseable {
        final List<String> serverNames = new CopyOnWriteArrayList<>();
        final List<String> hosts = new CopyOnWriteArrayList<>();
        private final HttpsServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();

        TlsReceiver(KeyStore identity) throws Exception {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters ssl = context.getDefaultSSLParameters();
                    ssl.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                        @Override
                        public boolean matches(SNIServerName name) {
                            serverNames.add(((SNIHostName) name).getAsciiName());
                            return true;
                        }
                    }));
                    params.setSSLParameters(ssl);
                }
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() throws IOException {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
