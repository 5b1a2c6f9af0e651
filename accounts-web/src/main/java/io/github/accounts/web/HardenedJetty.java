package io.github.accounts.web;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.embeddedserver.jetty.JettyServerFactory;

/**
 * Makes the Jetty servers Spark runs on, set up per {@link JettySettings}. Spark adds its connector and handler
 * after creating the server, so the settings are applied to them as the server starts. Thread-safe.
 */
final class HardenedJetty implements JettyServerFactory {
    private final JettySettings settings;

    HardenedJetty(JettySettings settings) {
        this.settings = settings;
    }

    @Override
    public Server create(int maxThreads, int minThreads, int threadTimeoutMillis) {
        if (maxThreads <= 0) {
            return new HardenedServer(settings, new QueuedThreadPool());
        }
        return new HardenedServer(settings, new QueuedThreadPool(maxThreads, minThreads > 0 ? minThreads : 8,
                threadTimeoutMillis > 0 ? threadTimeoutMillis : 60_000));
    }

    @Override
    public Server create(ThreadPool threadPool) {
        return new HardenedServer(settings, threadPool != null ? threadPool : new QueuedThreadPool());
    }

    /**
     * Counts requests (a {@link StatisticsHandler} around Spark's handler), which Jetty's stop waits on after
     * closing the listening socket; Spark's own stop would cut requests in flight off their answers.
     */
    private static final class HardenedServer extends Server {
        private final JettySettings settings;

        HardenedServer(JettySettings settings, ThreadPool threadPool) {
            super(threadPool);
            this.settings = settings;
            setStopTimeout(JettySettings.STOP_TIMEOUT.toMillis());
            setErrorHandler(new JettyErrors(settings.problemPrefixes(), settings.securityHeaders()));
        }

        @Override
        public void setHandler(Handler handler) {
            StatisticsHandler counter = new StatisticsHandler();
            counter.setHandler(handler);
            super.setHandler(counter);
        }

        @Override
        protected void doStart() throws Exception {
            for (Connector connector : getConnectors()) {
                if (connector instanceof ServerConnector server) {
                    server.setIdleTimeout(JettySettings.CONNECTION_IDLE_TIMEOUT.toMillis());
                }
                for (var factory : connector.getConnectionFactories()) {
                    if (factory instanceof HttpConfiguration.ConnectionFactory http) {
                        HttpConfiguration config = http.getHttpConfiguration();
                        config.setSendServerVersion(false);
                        config.setSendXPoweredBy(false);
                        config.setIdleTimeout(settings.requestIdleTimeout().toMillis());
                        config.setMinRequestDataRate(settings.minRequestDataRate());
                    }
                }
            }
            super.doStart();
        }
    }
}
