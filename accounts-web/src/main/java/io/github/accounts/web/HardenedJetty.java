package io.github.accounts.web;

import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import spark.embeddedserver.jetty.JettyServerFactory;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

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
     * closing the listening socket; Spark's own stop would cut requests in flight off their answers. Refuses
     * {@code TRACE} and {@code TRACK} before any handler of the host's sees them, and gives each request head a
     * deadline.
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
            NoTrace noTrace = new NoTrace();
            noTrace.setHandler(handler);
            StatisticsHandler counter = new StatisticsHandler();
            counter.setHandler(noTrace);
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
                HttpConnectionFactory http = connector instanceof ServerConnector server
                        ? server.getConnectionFactory(HttpConnectionFactory.class) : null;
                if (http != null && !(http instanceof HeadDeadlineFactory)) {
                    ((ServerConnector) connector).addConnectionFactory(new HeadDeadlineFactory(http,
                            settings.requestHeadTimeout().toMillis()));
                }
            }
            super.doStart();
        }
    }

    /**
     * {@code TRACE} would echo the request, its {@code Cookie} and {@code Authorization} included, wherever a servlet
     * of Jetty's answers it; {@code TRACK} is IIS's twin. Both are 405, through {@link JettyErrors}.
     */
    private static final class NoTrace extends HandlerWrapper {
        @Override
        public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String method = request.getMethod();
            if ("TRACE".equalsIgnoreCase(method) || "TRACK".equalsIgnoreCase(method)) {
                baseRequest.setHandled(true);
                response.setHeader("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
                response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                return;
            }
            super.handle(target, baseRequest, request, response);
        }
    }

    /** Jetty's HTTP/1.1 connections, each closed when a request head takes longer than the deadline to arrive. */
    private static final class HeadDeadlineFactory extends HttpConnectionFactory {
        private final long deadlineMillis;

        HeadDeadlineFactory(HttpConnectionFactory like, long deadlineMillis) {
            super(like.getHttpConfiguration(), like.getHttpCompliance());
            setRecordHttpComplianceViolations(like.isRecordHttpComplianceViolations());
            setInputBufferSize(like.getInputBufferSize());
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            return configure(new HeadDeadlineConnection(this, connector, endPoint, deadlineMillis), connector,
                    endPoint);
        }
    }

    /**
     * Jetty 9.4 times a connection out only when nothing arrives, so a head dripped a byte at a time would hold it
     * for ever. A head that did not arrive whole in one read is watched: still incomplete at the deadline, the
     * connection is closed. Heads that arrive in one read (nearly all) cost nothing.
     */
    private static final class HeadDeadlineConnection extends HttpConnection {
        private final long deadlineMillis;
        /** When the head under way began ({@link System#nanoTime}), 0 while none is. */
        private volatile long headSince;

        HeadDeadlineConnection(HeadDeadlineFactory factory, Connector connector, EndPoint endPoint,
                               long deadlineMillis) {
            super(factory.getHttpConfiguration(), connector, endPoint, factory.getHttpCompliance(),
                    factory.isRecordHttpComplianceViolations());
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        public void onFillable() {
            super.onFillable();
            HttpParser parser = getParser();
            if (parser.isStart() || !parser.inHeaderState()) {
                headSince = 0;
            } else if (headSince == 0) {
                long since = System.nanoTime() | 1; // never 0
                headSince = since;
                getConnector().getScheduler().schedule(() -> cutIfStill(since), deadlineMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void cutIfStill(long since) {
            if (headSince == since && getEndPoint().getConnection() == this) {
                getEndPoint().close();
            }
        }
    }
}
