package io.github.accounts.web;

import org.junit.jupiter.api.Test;
import spark.Service;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JettySettings#start}: routes mounted, the server listening, and a taken port said in one line. */
class JettySettingsStartTest {
    @Test
    void startMountsTheRoutesAndReturnsThePortItListensOn() throws Exception {
        Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
        try {
            int port = JettySettings.defaults().start(http, h -> h.get("/hello", (req, res) -> "hello"));

            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo("hello");
        } finally {
            http.stop();
            http.awaitStop();
        }
    }

    @Test
    void aPortInUseIsAnExceptionNamingTheAddressInOneLineAndTheProcessLives() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Service http = Service.ignite().ipAddress("127.0.0.1").port(port);
            try {
                assertThatThrownBy(() -> JettySettings.defaults().start(http, h -> h.get("/", (req, res) -> "")))
                        .isInstanceOf(CannotListenException.class)
                        .hasMessage("Cannot listen on 127.0.0.1:" + port + ": the port is already in use");
            } finally {
                http.stop();
                http.awaitStop();
            }
        }
    }

    @Test
    void startRefusesAServiceWithRoutesAlreadyMapped() {
        Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
        http.get("/early", (req, res) -> "");
        try {
            assertThatThrownBy(() -> JettySettings.defaults().start(http, h -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("before route mapping");
        } finally {
            http.stop();
            http.awaitStop();
        }
    }
}
