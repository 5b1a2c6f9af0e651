package io.github.accounts.core.internal;

import io.github.accounts.core.AccountsSchema;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import org.slf4j.LoggerFactory;

import java.util.logging.Level;

/**
 * Liquibase's log, as {@link AccountsSchema} runs it: warnings and errors go to slf4j under Liquibase's class names,
 * everything below (a line per change set, lock messages, the update summary) is dropped. Thread-safe.
 */
public final class WarningsLogService extends AbstractLogService {
    @Override
    public int getPriority() {
        return PRIORITY_SPECIALIZED;
    }

    @Override
    @SuppressWarnings({"rawtypes", "try"}) // the raw Class is Liquibase's; its Logger is AutoCloseable, unused so here
    public Logger getLog(Class clazz) {
        org.slf4j.Logger target = LoggerFactory.getLogger(clazz == null ? "liquibase" : clazz.getName());
        return new AbstractLogger() {
            @Override
            public void log(Level level, String message, Throwable e) {
                if (level.equals(Level.OFF)) {
                    return; // Liquibase logs "User has disabled analytics." at OFF, meaning: not at all
                }
                if (level.intValue() >= Level.SEVERE.intValue()) {
                    target.error(message, e);
                } else if (level.intValue() >= Level.WARNING.intValue()) {
                    target.warn(message, e);
                }
            }
        };
    }
}
