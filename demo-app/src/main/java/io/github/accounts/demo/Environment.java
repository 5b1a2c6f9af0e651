package io.github.accounts.demo;

import java.util.Locale;
import java.util.UUID;

/**
 * The four environments of the original design, chosen by {@code APP_SETTINGS}. Each is a fixed bundle of
 * behaviour, so the rest of the code asks the environment rather than testing its name. Immutable.
 */
enum Environment {
    /** The default: H2 in a file under {@code ./data/}, migrated at start, mail (with its tokens) in the log. */
    DEVELOPMENT(true, true),
    /** H2 in memory, migrated at start, mail in the log; for automated tests. */
    TESTING(true, true),
    /** Like production: {@code DATABASE_URL} required, migrations only through {@code db upgrade}. */
    STAGING(false, false),
    /** {@code DATABASE_URL} required, migrations only through {@code db upgrade}, mail bodies never logged. */
    PRODUCTION(false, false);

    private final boolean migratesOnStart;
    private final boolean logsMailBodies;

    Environment(boolean migratesOnStart, boolean logsMailBodies) {
        this.migratesOnStart = migratesOnStart;
        this.logsMailBodies = logsMailBodies;
    }

    /** The environment named by an {@code APP_SETTINGS} value, case-insensitively. */
    static Environment named(String value) {
        for (Environment e : values()) {
            if (e.label().equalsIgnoreCase(value.strip())) {
                return e;
            }
        }
        throw Failure.usage("APP_SETTINGS must be development, testing, staging or production, not '" + value + "'");
    }

    /** The name as {@code APP_SETTINGS} spells it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code serve} applies pending change sets itself; otherwise it refuses to start while any are pending. */
    boolean migratesOnStart() {
        return migratesOnStart;
    }

    /**
     * Whether the log mailer writes whole messages, tokens included, so a developer can follow reset and
     * verification links; elsewhere a token in a log would be a leak.
     */
    boolean logsMailBodies() {
        return logsMailBodies;
    }

    /** The database used when {@code DATABASE_URL} is not set. */
    DatabaseUrl defaultDatabase() {
        return switch (this) {
            case DEVELOPMENT -> DatabaseUrl.h2File("./data/accounts");
            case TESTING -> DatabaseUrl.h2InMemory("accounts-" + UUID.randomUUID());
            case STAGING, PRODUCTION -> throw Failure.usage("DATABASE_URL is required when APP_SETTINGS=" + label()
                    + " (e.g. DATABASE_URL=" + DatabaseUrl.EXAMPLE + ")");
        };
    }
}
