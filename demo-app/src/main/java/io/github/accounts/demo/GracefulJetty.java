package io.github.accounts.demo;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.Service;
import spark.embeddedserver.EmbeddedServers;
import spark.embeddedserver.jetty.EmbeddedJettyFactory;
import spark.embeddedserver.jetty.JettyServerFactory;

import java.time.Duration;

/**
 * Jetty servers whose stop is graceful. Spark's own {@code Service.stop()} stops Jetty at once, so a request in
 * flight loses its connection before its answer is written; here Jetty counts requests (a
 * {@link StatisticsHandler} around Spark's handler) and, on stop, closes its listening socket first and then waits
 * up to {@link #STOP_TIMEOUT} for the count to reach zero. Stateless and thread-safe.
 */
final class GracefulJetty implements JettyServerFactory {
    /** How long a stop waits for requests in flight; a hashing request takes well under a second. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String IDENTIFIER = GracefulJetty.class.getName();

    /** Makes {@code http} run on a graceful Jetty; call it before mapping routes. */
    static void use(Service http) {
        // Spark keeps server factories in a static registry; registering the same one again changes nothing.
        EmbeddedServers.add(IDENTIFIER, new EmbeddedJettyFactory(new GracefulJetty()));
        http.embeddedServerIdentifier(IDENTIFIER);
    }

    @Override
    public Server create(int maxThreads, int minThreads, int threadTimeoutMillis) {
        if (maxThreads <= 0) {
            return new CountingServer(new QueuedThreadPool());
        }
        return new CountingServer(new QueuedThreadPool(maxThreads, minThreads > 0 ? minThreads : 8,
                threadTimeoutMillis > 0 ? threadTimeoutMillis : 60_000));
    }

    @Override
    public Server create(ThreadPool threadPool) {
        return new CountingServer(threadPool != null ? threadPool : new QueuedThreadPool());
    }

    /** A server that wraps whatever handler Spark gives it in a request counter, which Jetty's stop waits on. */
    private static final class CountingServer extends Server {
        CountingServer(ThreadPool threadPool) {
            super(threadPool);
            setStopTimeout(STOP_TIMEOUT.toMillis());
        }

        @Override
        public void setHandler(Handler handler) {
            StatisticsHandler counter = new StatisticsHandler();
            counter.setHandler(handler);
            super.setHandler(counter);
        }
    }
}
