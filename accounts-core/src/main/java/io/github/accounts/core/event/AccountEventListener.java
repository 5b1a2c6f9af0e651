package io.github.accounts.core.event;

/**
 * Told of each account event after its transaction committed, on accounts' event thread (one, in commit order);
 * never on a request's thread, so a slow listener delays other listeners but no request. Metrics, notifications
 * and real-time push are fed this way. An exception it throws is logged and the next event still comes.
 */
@FunctionalInterface
public interface AccountEventListener {
    void onEvent(AccountEvent event);
}
