package io.github.accounts.web;

import spark.Service;

import java.util.function.Consumer;

/** A real Spark server on a free loopback port, with the host's routes, and the {@link TestClient} for it. */
public final class TestServer extends TestClient implements AutoCloseable {
    public final Service http;

    public TestServer(Consumer<Service> routes) {
        this(started(routes));
    }

    private TestServer(Service http) {
        super("http://127.0.0.1:" + http.port());
        this.http = http;
    }

    private static Service started(Consumer<Service> routes) {
        Service http = Service.ignite().ipAddress("127.0.0.1").port(0);
        routes.accept(http);
        http.init();
        http.awaitInitialization();
        return http;
    }

    @Override
    public void close() {
        http.stop();
        http.awaitStop();
    }
}
