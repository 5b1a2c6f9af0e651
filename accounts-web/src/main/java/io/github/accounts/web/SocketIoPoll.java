// Over 300 lines: a held poll's async life (engine.io's answer in memory, then a non-blocking write) reads best in one place.
package io.github.accounts.web;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ReadListener;
import javax.servlet.ServletContext;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One long-polling request of Socket.IO's HTTP transport, between Spark and the engine.io server. The engine writes
 * its answer into memory, never onto the connection: a poll it answers at once (a handshake, a POST, waiting data)
 * goes back through Spark like any route's body; a poll it holds is taken async (no thread waits for it, and Spark,
 * which writes a route's body after the route, finds the response committed) and its answer is written later without
 * blocking, so a client that does not read holds up neither the delivery thread nor a request thread. Thread-safe.
 */
final class SocketIoPoll {
    private enum State { ROUTE, GOING_ASYNC, ASYNC, DONE }

    private final HttpServletRequest real;
    private final HttpServletResponse realResponse;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<AsyncListener> listeners = new ArrayList<>();
    private final Request request;
    private final Response response;
    private State state = State.ROUTE;
    private boolean held;
    private boolean finished;
    private int status = 200;
    private String contentType = "text/plain; charset=UTF-8";
    private AsyncContext async;

    /** {@code query}: the query the engine is to see; {@code body}: the POST body, read and bounded already. */
    SocketIoPoll(HttpServletRequest real, HttpServletResponse realResponse, String query, byte[] body) {
        this.real = real;
        this.realResponse = realResponse;
        this.request = new Request(real, query, body);
        this.response = new Response();
    }

    HttpServletRequest request() {
        return request;
    }

    HttpServletResponse response() {
        return response;
    }

    /** The engine's answer, when it answered during the route (null when it holds the poll: then it is async). */
    byte[] answerNow() {
        response.writer.flush(); // the engine writes some answers through the writer and leaves them unflushed
        synchronized (this) {
            return answerNowLocked();
        }
    }

    private byte[] answerNowLocked() {
        if (!held || finished) {
            state = State.DONE;
            return buffer.toByteArray();
        }
        state = State.GOING_ASYNC;
        return null;
    }

    synchronized int status() {
        return status;
    }

    synchronized String contentType() {
        return contentType;
    }

    /**
     * Takes the held poll async: its head is sent now (Spark then leaves it alone), its body when the engine gives
     * it. {@code timeoutMillis}: past it the engine is told the poll failed.
     */
    void goAsync(long timeoutMillis) throws IOException {
        AsyncContext context = real.startAsync();
        context.setTimeout(timeoutMillis);
        context.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                failed();
            }

            @Override
            public void onError(AsyncEvent event) {
                failed();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        realResponse.setStatus(200);
        realResponse.setContentType("text/plain; charset=UTF-8");
        realResponse.setHeader("Cache-Control", "no-store");
        realResponse.flushBuffer();
        synchronized (this) {
            async = context;
            state = State.ASYNC;
            if (finished) {
                write();
            }
        }
    }

    /** The connection failed or timed out while the engine held the poll: the engine is told, the exchange ends. */
    private void failed() {
        List<AsyncListener> engine;
        synchronized (this) {
            engine = List.copyOf(listeners);
            finished = true;
            state = State.DONE;
        }
        for (AsyncListener listener : engine) {
            try {
                listener.onError(null);
            } catch (IOException | RuntimeException e) {
                // the engine closes the connection either way
            }
        }
        complete(async);
    }

    /** The engine has written its answer (closed the stream, or completed the poll). */
    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (state == State.ASYNC) {
            write();
        }
    }

    /** Writes the answer without blocking, then completes the poll. Under the lock. */
    private void write() {
        byte[] bytes = buffer.toByteArray();
        AsyncContext context = async;
        state = State.DONE;
        try {
            ServletOutputStream out = context.getResponse().getOutputStream();
            out.setWriteListener(new WriteListener() {
                private boolean written;

                @Override
                public void onWritePossible() throws IOException {
                    while (out.isReady()) {
                        if (written) {
                            complete(context);
                            return;
                        }
                        written = true;
                        out.write(bytes);
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    complete(context);
                }
            });
        } catch (IOException | RuntimeException e) {
            complete(context);
        }
    }

    private static void complete(AsyncContext context) {
        if (context != null) {
            try {
                context.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by an error meanwhile
            }
        }
    }

    /** What the engine sees of the request: the query it is given, the body read already, async of our own. */
    private final class Request extends HttpServletRequestWrapper {
        private final String query;
        private final byte[] body;
        private final Context context = new Context();

        Request(HttpServletRequest real, String query, byte[] body) {
            super(real);
            this.query = query;
            this.body = body;
        }

        @Override
        public String getQueryString() {
            return query;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public boolean isAsyncSupported() {
            return true;
        }

        @Override
        public boolean isAsyncStarted() {
            synchronized (SocketIoPoll.this) {
                return held && !finished;
            }
        }

        @Override
        public AsyncContext startAsync() {
            synchronized (SocketIoPoll.this) {
                held = true;
            }
            return context;
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            return startAsync();
        }

        @Override
        public AsyncContext getAsyncContext() {
            return context;
        }
    }

    /** The engine's view of holding the poll: listeners kept, completion recorded; its timeout is ours. */
    private final class Context implements AsyncContext {
        @Override
        public ServletRequest getRequest() {
            return request;
        }

        @Override
        public ServletResponse getResponse() {
            return response;
        }

        @Override
        public boolean hasOriginalRequestAndResponse() {
            return true;
        }

        @Override
        public void dispatch() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dispatch(ServletContext context, String path) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
            finish();
        }

        @Override
        public void start(Runnable run) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addListener(AsyncListener listener) {
            synchronized (SocketIoPoll.this) {
                listeners.add(listener);
            }
        }

        @Override
        public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
            addListener(listener);
        }

        @Override
        public <T extends AsyncListener> T createListener(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setTimeout(long timeout) {
        }

        @Override
        public long getTimeout() {
            return 0;
        }
    }

    /** What the engine writes to: memory, with the status and type kept for the answer. */
    private final class Response extends HttpServletResponseWrapper {
        private final ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                synchronized (SocketIoPoll.this) {
                    buffer.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (SocketIoPoll.this) {
                    buffer.write(b, off, len);
                }
            }

            @Override
            public void close() {
                finish();
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        private final PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));

        Response() {
            super(realResponse);
        }

        @Override
        public void setStatus(int sc) {
            synchronized (SocketIoPoll.this) {
                status = sc;
            }
        }

        @Override
        public void setContentType(String type) {
            synchronized (SocketIoPoll.this) {
                contentType = type;
            }
        }

        @Override
        public void setContentLength(int len) {
        }

        @Override
        public void setContentLengthLong(long len) {
        }

        @Override
        public void setCharacterEncoding(String charset) {
        }

        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public void setHeader(String name, String value) {
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return out;
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public void flushBuffer() {
            writer.flush();
        }
    }
}
