package io.github.accounts.web;

/**
 * The web server could not take its address ({@link JettySettings#start}): the message names the address and the
 * cause on one line, e.g. {@code Cannot listen on 127.0.0.1:5000: the port is already in use}; the cause is Jetty's.
 * A host prints the message and exits rather than logging a stack trace.
 */
public final class CannotListenException extends IllegalStateException {
    CannotListenException(String message, Throwable cause) {
        super(message, cause);
    }
}
